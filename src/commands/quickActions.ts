import * as vscode from 'vscode';
import { Deps } from '../ui/deps';

interface Action extends vscode.QuickPickItem {
  command: string;
}

/** The badge's click: the actions that make sense now. */
export async function quickActions(deps: Deps): Promise<void> {
  const { model } = deps;
  const actions: Action[] = [];
  if (model.config) {
    const app = model.snapshot?.apps[0];
    const standby = app?.standby && app.slots[app.standby];
    if (standby) {
      const name = standby.name.toUpperCase();
      actions.push({ label: `$(cloud-upload) Deploy to ${name} (STANDBY)`, command: 'bluegreen.deploy' });
      if (standby.health === 'up') actions.push({ label: `$(arrow-swap) Release: switch traffic to ${name}`, command: 'bluegreen.release' });
      actions.push({ label: `$(sync) Sync ${name} to LIVE's commit`, command: 'bluegreen.sync' });
      if (app?.lb.state.history.length) actions.push({ label: '$(history) Rollback: switch traffic back', command: 'bluegreen.rollback' });
    }
    const findings = app?.lb.findings?.length;
    actions.push({ label: `$(checklist) Check load balancer${findings ? ` (${findings} finding${findings > 1 ? 's' : ''})` : ''}`, command: 'bluegreen.checkLoadBalancer' });
    actions.push({ label: '$(refresh) Refresh status', command: 'bluegreen.refresh' });
  } else actions.push({ label: '$(new-file) Create bluegreen.yaml', command: 'bluegreen.scaffoldConfig' });
  actions.push({ label: '$(go-to-file) Open bluegreen.yaml', command: 'bluegreen.openConfig' }, { label: '$(output) Show output', command: 'bluegreen.showOutput' });
  const picked = await vscode.window.showQuickPick(actions, { title: 'Blue-Green', placeHolder: model.snapshot ? `Status read ${new Date(model.snapshot.takenAt).toLocaleTimeString()}` : 'Status not read yet' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
