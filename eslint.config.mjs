import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const namedExports = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };

/**
 * The redaction gate (src/core/redact.ts): every place text leaves the process is one file,
 * whose functions take only `Redacted` text. Anywhere else, reaching the raw sink is an error.
 */
const SINKS = [
  {
    file: 'src/core/stdio.ts',
    selectors: [
      { selector: "CallExpression[callee.object.name='console']", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
      { selector: "MemberExpression[object.object.name='process'][object.property.name=/^(stdout|stderr)$/][property.name='write']", message: 'Write through src/core/stdio.ts (printOut/printErr take only redacted text).' },
    ],
  },
  {
    file: 'src/ui/sinks.ts',
    selectors: [
      {
        selector: "MemberExpression[property.name=/^(showInformationMessage|showWarningMessage|showErrorMessage|showInputBox|showQuickPick|createInputBox|createQuickPick|withProgress|createOutputChannel)$/]",
        message: 'Show text through src/ui/sinks.ts: its functions take only redacted text.',
      },
    ],
  },
  { file: 'src/cli/confirm.ts', selectors: [{ selector: "MemberExpression[property.name='question']", message: "Ask the terminal through src/cli/confirm.ts's ask(), which takes only redacted text." }] },
  { file: 'src/mcp/approval.ts', selectors: [{ selector: "MemberExpression[property.name='elicitInput']", message: "Elicit through src/mcp/approval.ts's askForm(), which takes only redacted text." }] },
  { file: 'src/mcp/progress.ts', selectors: [{ selector: "MemberExpression[property.name='sendNotification']", message: 'Send notifications through src/mcp/progress.ts, which takes only redacted text.' }] },
  { file: 'src/mcp/results.ts', selectors: [{ selector: "Property[key.name='type'][value.value='text']", message: "Answer a tool call with src/mcp/results.ts's textResult(), which takes only redacted text." }] },
  {
    file: 'src/core/redact.ts',
    selectors: [
      { selector: "TSAsExpression > TSTypeReference[typeName.name='Redacted']", message: 'Only src/core/redact.ts makes Redacted text: call redact().' },
      { selector: "TSTypeAssertion > TSTypeReference[typeName.name='Redacted']", message: 'Only src/core/redact.ts makes Redacted text: call redact().' },
    ],
  },
];
const gateExcept = (file) => SINKS.filter((s) => s.file !== file).flatMap((s) => s.selectors);

export default tseslint.config(
  { ignores: ['out/**', 'scratch/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'lab/app/**', 'src/core/config/*.generated.ts'] },
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
  ...SINKS.map(({ file }) => ({ files: [file], rules: { 'no-restricted-syntax': ['error', namedExports, ...gateExcept(file)] } })),
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
