import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { sshAliases } from '../core/config/scaffold';
import { createSshRunner } from '../core/config/sshRunner';
import { writeNewConfig } from '../core/config/writeNewConfig';
import { BlueGreenError, errorMessage, isBlueGreenError } from '../core/errors';
import { redact } from '../core/redact';
import { initConfig, InitChooser } from '../core/workflows/init';
import { Deps } from '../ui/deps';
import { vscodePrompts } from '../ui/prompts';
import { askInput, pick, showError, showWarning, withNotification } from '../ui/sinks';

const SSH_CONFIG = path.join(os.homedir(), '.ssh', 'config');

/**
 * *Create bluegreen.yaml from the Load Balancer*: `bluegreen init` in the editor. The load
 * balancer is picked from ~/.ssh/config, the rest is read over SSH (nothing changed) and asked
 * only where it cannot be read; an existing bluegreen.yaml is opened, never overwritten.
 */
export async function initFromLoadBalancer(deps: Deps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void showError(redact(`Open a folder first: ${CONFIG_FILE_NAME} lives at the workspace root.`));
    return;
  }
  const file = path.join(folder.uri.fsPath, CONFIG_FILE_NAME);
  const uri = vscode.Uri.file(file);
  if (await vscode.workspace.fs.stat(uri).then(() => true, () => false)) {
    void showWarning(redact(`${CONFIG_FILE_NAME} already exists; opening it instead of overwriting it.`));
    await vscode.window.showTextDocument(uri);
    return;
  }
  const lb = await pickLoadBalancer();
  if (!lb) return;
  const runner = createSshRunner({}, vscodePrompts());
  try {
    const result = await withNotification(redact(`Blue-Green: reading ${lb}`), async (report, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return initConfig(runner, editorChooser(), { lb, file, signal: controller.signal, progress: (line) => report(redact(line)) });
    });
    await writeNewConfig(file, result.yaml);
    deps.output.info(redact(`[init] ${file}: written for ${result.app}; nothing on any host was changed.`));
    result.summary.forEach((line) => deps.output.info(redact(`[init]   ${line}`)));
    await vscode.window.showTextDocument(uri);
  } catch (e) {
    if (isBlueGreenError(e, 'declined') || isBlueGreenError(e, 'aborted')) return;
    deps.output.info(redact(`[init] ${errorMessage(e)}`));
    void showError(redact(`Blue-Green: ${errorMessage(e)}`));
  } finally {
    runner.dispose();
  }
}

async function pickLoadBalancer(): Promise<string | undefined> {
  const aliases = await sshAliases(SSH_CONFIG).catch(() => [] as string[]);
  const likely = (a: string) => /haproxy|proxy|lb/i.test(a);
  const typeIt = redact('Type user@host…');
  const items = [...aliases.filter(likely), ...aliases.filter((a) => !likely(a))].map((a) => ({ label: redact(a) }));
  const chosen = aliases.length ? await pick([...items, { label: typeIt, description: redact('a host not in ~/.ssh/config') }], { title: redact('Which host runs HAProxy?'), placeHolder: redact('an alias from ~/.ssh/config') }) : { label: typeIt };
  if (!chosen) return undefined;
  if (chosen.label !== typeIt) return chosen.label;
  return askInput({ title: redact('Which host runs HAProxy?'), prompt: redact('user@host[:port], as ssh takes it'), ignoreFocusOut: true, validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : redact('one host, no spaces')) });
}

/** The quick pick and input box; closing one stops the whole init with nothing written. */
function editorChooser(): InitChooser {
  const stopped = () => new BlueGreenError('declined', 'stopped; nothing was written');
  return {
    async pick(question, choices) {
      const chosen = await pick(choices.map((c, i) => ({ label: redact(c.label), detail: c.detail === undefined ? undefined : redact(c.detail), index: i })), { title: redact(question) });
      if (!chosen) throw stopped();
      return choices[chosen.index].value;
    },
    async ask(question, check) {
      const typed = await askInput({ title: redact('Blue-Green: Create bluegreen.yaml'), prompt: redact(question), ignoreFocusOut: true, validateInput: (v) => {
        const problem = check(v.trim());
        return problem === undefined ? undefined : redact(problem);
      } });
      if (typed === undefined) throw stopped();
      return typed.trim();
    },
  };
}
