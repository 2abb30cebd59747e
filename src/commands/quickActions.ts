import * as vscode from 'vscode';
import { Deps } from '../ui/deps';

interface Action extends vscode.QuickPickItem {
  command: string;
}

/** The badge's click: the actions that make sense now. */
export async function quickActions(deps: Deps): Promise<void> {
  const { model } = deps;
  const actions: Action[] = [];
  if (model.config) actions.push({ label: '$(refresh) Refresh status', command: 'bluegreen.refresh' });
  else actions.push({ label: '$(new-file) Create bluegreen.yaml', command: 'bluegreen.scaffoldConfig' });
  actions.push({ label: '$(go-to-file) Open bluegreen.yaml', command: 'bluegreen.openConfig' }, { label: '$(output) Show output', command: 'bluegreen.showOutput' });
  const picked = await vscode.window.showQuickPick(actions, { title: 'Blue-Green', placeHolder: model.snapshot ? `Status read ${new Date(model.snapshot.takenAt).toLocaleTimeString()}` : 'Status not read yet' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
