import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { scaffoldYaml, sshAliases } from '../core/config/scaffold';
import { Deps } from '../ui/deps';
import { showError, showWarning } from '../ui/sinks';
import { redact } from '../core/redact';

/** Writes a starting bluegreen.yaml from the person's ssh_config hosts; never overwrites one. */
export async function scaffoldConfig(deps: Deps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void showError(redact(`Open a folder first: ${CONFIG_FILE_NAME} lives at the workspace root.`));
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  try {
    await vscode.workspace.fs.stat(uri);
    void showWarning(redact(`${CONFIG_FILE_NAME} already exists; opening it instead of overwriting it.`));
    await vscode.window.showTextDocument(uri);
    return;
  } catch {
    // does not exist yet: create it below
  }
  const aliases = await sshAliases(path.join(os.homedir(), '.ssh', 'config')).catch(() => []);
  const appName = folder.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'my-app';
  await vscode.workspace.fs.writeFile(uri, Buffer.from(scaffoldYaml(aliases, appName)));
  deps.output.info(redact(`[config] created ${uri.fsPath} from ${aliases.length} ssh_config host(s)`));
  await vscode.window.showTextDocument(uri);
}
