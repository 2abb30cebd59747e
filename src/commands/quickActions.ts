import * as vscode from 'vscode';
import { appProblem } from '../core/status/appsSummary';
import { Deps } from '../ui/deps';
import { focusedApp } from '../ui/focusedApp';
import { Target } from '../ui/operations';
import { pick } from '../ui/sinks';
import { redact } from '../core/redact';

interface Action {
  label: string;
  command: string;
}

/** The badge's click: the actions that make sense now, for the app being worked on (asked when unclear). */
export async function quickActions(deps: Deps): Promise<void> {
  const { model } = deps;
  const actions: Action[] = [];
  let target: Target | undefined;
  if (model.config) {
    const apps = model.snapshot?.apps ?? [];
    let name = focusedApp(model.config);
    if (!name && apps.length > 1) {
      const picked = await pick(
        apps.map((a) => ({ label: redact(a.name), description: redact(appProblem(a) ?? `LIVE ${a.live?.toUpperCase() ?? '?'}`) })),
        { title: redact('Blue-Green: which app?') },
      );
      if (!picked) return;
      name = picked.label;
    }
    const app = apps.find((a) => a.name === name) ?? apps[0];
    if (app && apps.length > 1) target = { app: app.name };
    const standby = app?.standby && app.slots[app.standby];
    if (standby) {
      const name = standby.name.toUpperCase();
      actions.push({ label: `$(cloud-upload) Deploy to ${name} (STANDBY)`, command: 'bluegreen.deploy' });
      if (standby.health === 'up') actions.push({ label: `$(arrow-swap) Release: switch traffic to ${name}`, command: 'bluegreen.release' });
      actions.push({ label: `$(sync) Sync ${name} to LIVE's commit`, command: 'bluegreen.sync' });
      if (app?.lb.state.history.length) actions.push({ label: '$(history) Rollback: switch traffic back', command: 'bluegreen.rollback' });
    }
    const findings = app?.lbs.reduce((n, lb) => n + (lb.findings?.length ?? 0), 0);
    actions.push({ label: `$(checklist) Check setup${findings ? ` (${findings} finding${findings > 1 ? 's' : ''})` : ''}`, command: 'bluegreen.checkLoadBalancer' });
    actions.push({ label: '$(refresh) Refresh status', command: 'bluegreen.refresh' });
  } else actions.push({ label: '$(new-file) Create bluegreen.yaml', command: 'bluegreen.scaffoldConfig' });
  actions.push({ label: '$(go-to-file) Open bluegreen.yaml', command: 'bluegreen.openConfig' }, { label: '$(output) Show output', command: 'bluegreen.showOutput' });
  const shown = actions.map((a) => ({ ...a, label: redact(a.label) }));
  const picked = await pick(shown, { title: redact(target ? `Blue-Green: ${target.app}` : 'Blue-Green'), placeHolder: redact(model.snapshot ? `Status read ${new Date(model.snapshot.takenAt).toLocaleTimeString()}` : 'Status not read yet') });
  // The app goes along the way a tree item passes it, so the command does not ask again.
  if (picked) await vscode.commands.executeCommand(picked.command, target && { app: { name: target.app } });
}
