import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const namedExports = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };

/**
 * The redaction gate (src/core/redact.ts): every place text leaves the process is one file,
 * whose functions take only `Redacted` text. Anywhere else, reaching the raw sink is an error.
 */
const SINKS = [
  {
    files: ['src/core/stdio.ts'],
    selectors: [
      { selector: "Identifier[name='console']", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
      { selector: "MemberExpression[object.name='process'][property.name=/^(stdout|stderr)$/]", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
      { selector: "VariableDeclarator[init.name='process'] > ObjectPattern", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
      { selector: "CallExpression[callee.property.name='writeSync'], CallExpression[callee.name='writeSync']", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
      // The terminal's question, which readline writes to stderr.
      { selector: "MemberExpression[property.name='question']", message: "Ask the terminal through src/core/stdio.ts's terminal(), which takes only redacted text." },
    ],
  },
  {
    files: ['src/ui/sinks.ts'],
    selectors: [
      {
        selector: "MemberExpression[property.name=/^(showInformationMessage|showWarningMessage|showErrorMessage|showInputBox|showQuickPick|createInputBox|createQuickPick|withProgress|createOutputChannel|setStatusBarMessage|createTerminal|createWebviewPanel|clipboard)$/]",
        message: 'Show text through src/ui/sinks.ts: its functions take only redacted text.',
      },
      { selector: "VariableDeclarator[init.property.name=/^(window|env)$/] > ObjectPattern, MemberExpression[computed=true][object.property.name='window']", message: "Show text through src/ui/sinks.ts: the window's functions are not taken apart elsewhere." },
    ],
  },
  { files: ['src/mcp/approval.ts'], selectors: [{ selector: "MemberExpression[property.name=/^(elicitInput|createMessage)$/]", message: "Ask through src/mcp/approval.ts's askForm(), which takes only redacted text." }] },
  { files: ['src/mcp/progress.ts'], selectors: [{ selector: "MemberExpression[property.name=/^(sendNotification|notification|sendLoggingMessage)$/]", message: 'Send notifications through src/mcp/progress.ts, which takes only redacted text.' }] },
  { files: ['src/mcp/results.ts'], selectors: [{ selector: "Property[key.name='type'][value.value='text'], Property[key.name='structuredContent']", message: "Answer a tool call with src/mcp/results.ts's textResult(), which takes only redacted text." }] },
  {
    files: ['src/core/redact.ts'],
    selectors: [
      { selector: "TSAsExpression > TSTypeReference[typeName.name='Redacted']", message: 'Only src/core/redact.ts makes Redacted text: call redact().' },
      { selector: "TSTypeAssertion > TSTypeReference[typeName.name='Redacted']", message: 'Only src/core/redact.ts makes Redacted text: call redact().' },
      { selector: 'TSAsExpression > TSNeverKeyword', message: 'A cast to never fits any type, Redacted included: name the type.' },
    ],
  },
];
const gateExcept = (file) => SINKS.filter((s) => !s.files.includes(file)).flatMap((s) => s.selectors);

export default tseslint.config(
  { ignores: ['out/**', 'scratch/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'reports/**', '.stryker-tmp/**', 'lab/app/**', 'src/core/config/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', namedExports],
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', namedExports, ...gateExcept()] } },
  ...SINKS.flatMap(({ files }) => files.map((file) => ({ files: [file], rules: { 'no-restricted-syntax': ['error', namedExports, ...gateExcept(file)] } }))),
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'lab/**/*.ts', 'test/unit/**/*.ts', 'test/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The core, the CLI, the lab and their tests must not depend on the VS Code API.' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
