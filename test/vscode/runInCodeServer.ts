// `npm run test:vscode:server`: the extension-host suite inside code-server, against the lab;
// `npm run test:vscode:current`: the same in the current code-server, with VS Code's MCP client.
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { LabInfo, labDown, labUp, labWorkspace, readLabInfo } from '../../lab/lab';
import { DEFAULT_TOPOLOGY } from '../../lab/topology';
import { codeServerFlavour, launchChromiumFor, PROJECT_ROOT, startCodeServer } from '../../lab/codeServer';
import { answerElicitations } from './elicitationPerson';

const SUITE_TIMEOUT_MS = 5 * 60_000;
const SHOTS = process.env.BLUEGREEN_SCREENSHOTS ?? path.join(PROJECT_ROOT, 'out', 'screenshots');

async function runSuite(suite: 'trusted' | 'untrusted', lab: LabInfo): Promise<boolean> {
  const flavour = codeServerFlavour();
  const started = Date.now();
  const work = mkdtempSync(path.join(os.tmpdir(), `bg-vscode-${suite}-`));
  const folder = labWorkspace(lab, work);
  // Workbench dialogs are refused in test mode, so trust is settled up front: off for the
  // main suite (everything trusted); on for the untrusted one (the folder stays restricted).
  const server = await startCodeServer({ work, folder, settings: { 'security.workspace.trust.enabled': suite === 'untrusted' }, flavour, env: { BLUEGREEN_CODE_SERVER: flavour, BLUEGREEN_ELICITATION_ANSWER_FILE: path.join(work, 'elicitation-answer'), BLUEGREEN_TEST_SUITE: suite, BLUEGREEN_LAB_DIR: lab.dir, BLUEGREEN_WINDSURF_MCP_CONFIG: path.join(work, 'windsurf', 'mcp_config.json'), XDG_CONFIG_HOME: path.join(work, 'config') } });
  const browser = await launchChromiumFor(server);
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    page.on('console', (m) => {
      // The extension host's mocha output reaches the page console as format strings with
      // CSS (%c) arguments; format them as Node would and show only the suite's lines.
      void Promise.all(m.args().map((a) => a.jsonValue().catch(() => ''))).then((args: unknown[]) => {
        // ["%c INFO", "color: …", "✔ %s (%dms)", title, ms]: drop the tag and its CSS.
        const rest = typeof args[0] === 'string' && args[0].includes('%c') ? args.slice(2) : args;
        const text = format(...rest);
        if (/✔|passing|failing|pending|^\s*\d+\) |AssertionError|Error:/.test(text) && !/Failed to load resource|webview|service worker|DialogService|^\s+at /i.test(text)) console.log(text);
      });
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(PROJECT_ROOT)],
      ['extensionTestsPath', remote(path.join(PROJECT_ROOT, 'out/test/vscode/index'))],
    ];
    // mcpClient.test (current, trusted) calls switch_traffic three times; each waits on VS Code's elicitation.
    const person = flavour === 'current' && suite === 'trusted' ? answerElicitations(page, path.join(work, 'elicitation-answer'), SHOTS) : undefined;
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS).unref());
    const code = await Promise.race([exit, timeout]);
    if (code === -1) console.error(`extension-host suite (${suite}): no result within ${SUITE_TIMEOUT_MS / 1000} s`);
    person?.stop();
    let ok = code === 0;
    const answered = person?.seen.map((e) => e.answer).join(', ');
    if (ok && person && answered !== 'dismiss, decline, accept') {
      console.error(`extension-host suite (trusted): VS Code's elicitations seen: ${answered || 'none'}; expected dismiss, decline, accept`);
      ok = false;
    }
    console.log(`extension-host suite (${suite}) in the ${flavour} code-server: ${ok ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`);
    if (code !== 0) console.error(`code-server log (${server.logFile}):\n${readFileSync(server.logFile, 'utf8').slice(-5000)}`);
    return ok;
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function main(): Promise<number> {
  const labDir = process.env.BLUEGREEN_LAB_DIR ?? path.join(os.tmpdir(), 'bluegreen-lab-test');
  const labWasUp = readLabInfo(labDir) !== undefined;
  // With a staging host: the Staging row and its commands are part of what the suite checks.
  const lab = await labUp(labDir, undefined, { ...DEFAULT_TOPOLOGY, staging: true });
  try {
    const untrusted = await runSuite('untrusted', lab);
    const trusted = await runSuite('trusted', lab);
    return untrusted && trusted ? 0 : 1;
  } finally {
    if (!labWasUp && !process.env.BLUEGREEN_LAB_KEEP) await labDown(labDir);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
