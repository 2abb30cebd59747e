import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import * as ts from 'typescript';
import { progressReporter } from '../../src/mcp/progress';
import { textResult } from '../../src/mcp/results';
import { redact, Redacted, redactedJson } from '../../src/core/redact';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Type-checks `body` as a module beside src (so its imports resolve as the code's do), with all
 * of src: the probe's diagnostics by line, and the program (for a scan of src).
 */
function typeCheck(body: string): { errors: Map<number, string[]>; program: ts.Program } {
  const dir = mkdtempSync(path.join(ROOT, '.gate-probe-'));
  try {
    const file = path.join(dir, 'probe.ts');
    writeFileSync(file, body);
    const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    const program = ts.createProgram([file, ...fileNames.filter((f) => f.startsWith(path.join(ROOT, 'src').split(path.sep).join('/')))], { ...options, noEmit: true, noUnusedLocals: false });
    const byLine = new Map<number, string[]>();
    for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
      assert.equal(d.file?.fileName, file.split(path.sep).join('/'), `an error outside the probe: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
      byLine.set(line, [...(byLine.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, ' ')]);
    }
    return { errors: byLine, program };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each sink, given a plain string (must not compile) and the same text redacted (must). */
const SINK_CALLS: [string, string][] = [
  ['printOut(TEXT)', 'the CLI stdout'],
  ['printErr(TEXT)', 'the CLI stderr'],
  ['writeErr(TEXT)', 'a terminal prompt preview'],
  ['showError(TEXT)', 'an error message'],
  ['showWarning(TEXT)', 'a warning message'],
  ['showInfo(TEXT)', 'an information message'],
  ['askModal(TEXT, r)', 'a modal dialog title'],
  ['askModal(r, TEXT)', 'a modal dialog detail'],
  ['askInput({ prompt: TEXT })', 'an input box'],
  ['askInput({ value: TEXT })', "an input box's value"],
  ['pick([{ label: TEXT }], {})', 'a quick pick item'],
  ['withNotification(TEXT, async () => 1)', 'a progress notification'],
  ['withNotification(r, async (report) => report(TEXT))', "a progress notification's step"],
  ['output.info(TEXT)', 'the output channel'],
  ['textResult([TEXT])', "an MCP tool's result"],
  ['asAgentText({ title: TEXT, detail: r })', 'an elicitation message'],
  ['asTerminalText({ title: r, detail: TEXT })', 'a --yes preview'],
  ["stateAfterSwitch({}, { from: 'blue', to: 'green', kind: 'release', at: '', who: TEXT })", "a history entry's who"],
  ["stateAfterSwitch({}, { from: 'blue', to: 'green', kind: 'release', at: '', who: r, reason: TEXT })", "a history entry's reason"],
  ["stateReconciled({}, 'blue', undefined, TEXT, '')", "a reconcile entry's who"],
  ["stateWithCanary({}, undefined, 'blue', TEXT, '')", "a canary entry's who"],
  ['new (newerApi().LanguageModelTextPart!)(TEXT)', "a language-model tool's answer"],
];

const PROBE_HEAD = `import { printErr, printOut, writeErr } from '../src/core/stdio';
import { askInput, askModal, Output, pick, showError, showInfo, showWarning, withNotification } from '../src/ui/sinks';
import { textResult } from '../src/mcp/results';
import { asAgentText, asTerminalText } from '../src/core/plan/render';
import { stateAfterSwitch, stateReconciled, stateWithCanary } from '../src/core/state/stateFile';
import { newerApi } from '../src/ui/newerApi';
import { redact } from '../src/core/redact';
declare const output: Output;
const r = redact('x');
const plain = 'DB_PASSWORD=hunter2';
export const slipped = plain as unknown as ReturnType<typeof redact>;
`;

/** Whether a type is, holds or contains the Redacted brand (an alias, a union, an array, a field). */
function carriesRedacted(checker: ts.TypeChecker, t: ts.Type, seen = new Set<ts.Type>()): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  if (t.aliasSymbol?.name === 'Redacted' || t.getProperties().some((p) => String(p.escapedName).includes('REDACTED'))) return true;
  if (t.isUnionOrIntersection()) return t.types.some((each) => carriesRedacted(checker, each, seen));
  if (checker.isArrayType(t) || checker.isTupleType(t)) return checker.getTypeArguments(t as ts.TypeReference).some((each) => carriesRedacted(checker, each, seen));
  return false;
}

describe('the redaction gate', function () {
  this.timeout(60_000);
  let checked: ts.Program | undefined;

  it('a sink given a plain string does not compile; the same text through redact() does', () => {
    const head = PROBE_HEAD.split('\n').length - 1;
    const lines = SINK_CALLS.flatMap(([call]) => [`void (${call.replace('TEXT', 'plain')});`, `void (${call.replace('TEXT', 'redact(plain)')});`]);
    const { errors, program } = typeCheck(PROBE_HEAD + lines.join('\n') + '\n');
    checked = program;
    SINK_CALLS.forEach(([call, sink], i) => {
      const plainLine = head + 2 * i + 1;
      assert.ok(errors.get(plainLine)?.some((m) => /Redacted/.test(m)), `${sink}: \`${call}\` took a plain string`);
      assert.equal(errors.get(plainLine + 1), undefined, `${sink}: \`${call}\` refused redacted text: ${errors.get(plainLine + 1)}`);
    });
  });

  it('no cast in src makes Redacted text outside redact.ts, however the type is named (a scan by the type checker)', () => {
    assert.ok(checked, 'the compile test runs first and leaves its program');
    const checker = checked.getTypeChecker();
    const castsIn = (sf: ts.SourceFile): string[] => {
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && carriesRedacted(checker, checker.getTypeAtLocation(node)) && !carriesRedacted(checker, checker.getTypeAtLocation(node.expression))) {
          found.push(`${sf.fileName}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText()}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      return found;
    };
    const sources = checked.getSourceFiles().filter((sf) => sf.fileName.includes('/src/') && !sf.isDeclarationFile);
    assert.ok(sources.length > 100, `only ${sources.length} files of src were scanned`);
    assert.deepEqual(sources.filter((sf) => !sf.fileName.endsWith('/src/core/redact.ts')).flatMap(castsIn), []);
    // The scan sees a cast under another name: the probe's own is found.
    const probe = checked.getSourceFiles().find((f) => f.fileName.endsWith('/probe.ts'))!;
    assert.deepEqual(castsIn(probe).map((c) => c.replace(/^.*probe\.ts:\d+: /, '')), ['plain as unknown as ReturnType<typeof redact>']);
  });

  it('a sink redacts once more what a cast slipped past the type', async () => {
    const slipped = 'DB_PASSWORD=hunter2' as unknown as Redacted;
    assert.equal(textResult([slipped]).content[0].text, 'DB_PASSWORD=***');
    const sent: string[] = [];
    const reporter = progressReporter('t', { sendNotification: async (n) => void sent.push(n.params.message) });
    reporter.info(slipped);
    assert.deepEqual(sent, ['DB_PASSWORD=***']);
  });

  it('a cast to Redacted does not compile into a sink unnoticed: lint refuses it outside redact.ts, and every raw sink outside its one file', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const raw = [
      "console.log('x');",
      "process.stdout.write('x');",
      "process.stderr.write('x');",
      "void vscode.window.showErrorMessage('x');",
      "void vscode.window.showInputBox({ prompt: 'x' });",
      "void vscode.window.withProgress({ location: 1 }, async () => 1);",
      "vscode.window.createOutputChannel('x');",
      'void rl.question(\'x\');',
      'void server.elicitInput({});',
      'void extra.sendNotification({});',
      "const content = [{ type: 'text', text: 'x' }];",
      "const shown = 'x' as Redacted;",
      "const { stdout } = process;",
      'globalThis.console.log(1);',
      "fs.writeSync(1, 'x');",
      'const { showErrorMessage } = vscode.window;',
      "void vscode.window['showErrorMessage']('x');",
      "void vscode.env.clipboard.writeText('x');",
      "vscode.window.createTerminal('x');",
      "void server.sendLoggingMessage({ level: 'info', data: 'x' });",
      'void server.notification({});',
      'void server.createMessage({});',
      'const answer = { content: [], structuredContent: {} };',
      "const anything = 'x' as never;",
    ];
    const head = "import * as vscode from 'vscode';\nimport * as fs from 'node:fs';\nimport { Redacted } from '../core/redact';\ndeclare const rl: any, server: any, extra: any;\n";
    const [result] = await eslint.lintText(`${head}${raw.join('\n')}\n`, { filePath: path.join(ROOT, 'src/ui/gateProbe.ts') });
    const flagged = new Set(result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line - 4));
    raw.forEach((line, i) => assert.ok(flagged.has(i + 1), `lint let through: ${line}`));
    // Each sink's own file may reach its sink (and only it): the console in src/core/stdio.ts.
    const [own] = await eslint.lintText("export function f(): void {\n  console.log('x');\n  process.stderr.write('x');\n}\n", { filePath: path.join(ROOT, 'src/core/stdio.ts') });
    assert.deepEqual(own.messages.map((m) => m.message), []);
  });

  it('status --json and an agent\'s snapshot: every string and key redacted, a secret-named field hidden whole, still JSON', () => {
    const snapshot = {
      takenAt: new Date(0),
      apps: [
        {
          slots: { blue: { healthDetail: 'DB_PASSWORD=hunter2', url: 'http://admin:hunter2@10.0.0.1:3001', reported: { DB_PASSWORD: 'hunter2', api_key: ['hunter2'], token: 7, version: '1.2.0' } } },
          hosts: { 'postgres://u:hunter2@db': 'a key from a host' },
          history: [{ reason: 'creds postgres://u:hunter2@db/app', by: 'ann' }],
        },
      ],
    };
    const text = redactedJson(snapshot, 2);
    assert.ok(!text.includes('hunter2'), text);
    const back = JSON.parse(text) as { takenAt: string; apps: { slots: { blue: { reported: Record<string, unknown>; healthDetail: string } }; history: { reason: string }[] }[] };
    assert.equal(back.takenAt, '1970-01-01T00:00:00.000Z');
    assert.deepEqual(back.apps[0].slots.blue.reported, { DB_PASSWORD: '***', api_key: ['***'], token: 7, version: '1.2.0' });
    assert.equal(back.apps[0].slots.blue.healthDetail, 'DB_PASSWORD=***');
    assert.equal(back.apps[0].history[0].reason, 'creds postgres://***@db/app');
    // A key block cut off in one field does not swallow the rest of the JSON.
    assert.deepEqual(JSON.parse(redactedJson({ a: '-----BEGIN RSA PRIVATE KEY-----\nMIIE', b: 'after' })), { a: '[private key redacted]', b: 'after' });
  });

  it('redacting a redacted text changes nothing (a composed text is redacted again as a whole)', () => {
    for (const secret of ['DB_PASS=hunter2', 'curl -u deploy:hunter2 https://x', 'https://user:p@ss@db.example/x', '{"Authorization": "Bearer abc.def"}', 'Server=db;Pwd=hunter2;', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF', 'mysql --password hunter2']) {
      const once = redact(secret);
      assert.equal(redact(once), once, secret);
      assert.ok(!once.includes('hunter2') && !once.includes('lQOYBF') && !once.includes('abc.def'), once);
    }
    // Split across two parts, the credential is caught only when the whole is redacted.
    assert.equal(redact(`${redact('DB_PASSWORD')}${redact('=hunter2')}`), 'DB_PASSWORD=***');
  });

  it("an MCP tool's answer and its progress notifications carry no credential", async () => {
    const sent: string[] = [];
    const reporter = progressReporter('t', { sendNotification: async (n) => void sent.push(n.params.message) });
    reporter.step('Fetch', 'lab-green');
    reporter.line('lab-green', 'fatal: https://tok:hunter2@git.example/app.git', 'stderr');
    reporter.warn('DB_PASSWORD=hunter2 in the environment');
    reporter.stepDone('Fetch', 10, 'exit 1: curl -u deploy:hunter2');
    assert.equal(sent.length, 4);
    assert.ok(!sent.join('\n').includes('hunter2'), sent.join('\n'));
    assert.equal(textResult([redact('token: hunter2')], true).content[0].text, 'token: ***');
  });
});
