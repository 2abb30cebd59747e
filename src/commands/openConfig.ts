import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { Deps } from '../ui/deps';
import { showError } from '../ui/sinks';
import { redact } from '../core/redact';

export async function openConfig(_deps: Deps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void showError(redact(`Open a folder first: Blue-Green reads ${CONFIG_FILE_NAME} from the workspace root.`));
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void showError(redact(`${CONFIG_FILE_NAME} does not exist in ${folder.name}. See the README's configuration reference.`));
    return;
  }
  await vscode.window.showTextDocument(uri);
}
