import * as vscode from 'vscode';
import { watchText } from '../core/status/routed';
import { appsSummary } from '../core/status/appsSummary';
import { AppSnapshot, liveSlot, severity, slotLabel, slotList, Snapshot } from '../core/status/snapshot';
import { focusedApp } from './focusedApp';
import { healthText, versionOf } from './format';
import { StatusModel } from './statusModel';

/**
 * The one status-bar item: LIVE slot and version, of the app being worked on when there are
 * several (see focusedApp), else a line about all of them; coloured when something is wrong.
 */
export class StatusBadge implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bluegreen.live', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: StatusModel) {
    this.item.name = 'Blue-Green LIVE slot';
    this.item.command = 'bluegreen.quickActions';
    this.subscriptions = [model.onDidChange(() => this.render()), vscode.window.onDidChangeActiveTextEditor(() => this.render())];
    this.render();
  }

  /** Exposed for tests: what the badge shows right now. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const { model, item } = this;
    if (!model.config) {
      item.hide();
      return;
    }
    const snapshot = model.snapshot;
    if (!snapshot) {
      item.text = model.refreshing ? '$(sync~spin) LIVE: …' : '$(broadcast) LIVE: ?';
      item.tooltip = model.refreshError ?? 'Blue-Green: open the view or click to read the status';
      item.backgroundColor = model.refreshError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      item.show();
      return;
    }
    const focused = snapshot.apps.find((a) => a.name === focusedApp(model.config));
    const shown = focused ? [focused] : snapshot.apps;
    item.text = `$(broadcast) ${shown.length > 1 ? appsSummary(shown) : badgeText(shown[0], snapshot.apps.length > 1)}`;
    const worst = shown.map(severity).reduce((a, b) => (a === 'error' || b === 'error' ? 'error' : a === 'warning' || b === 'warning' ? 'warning' : 'ok'), 'ok');
    item.backgroundColor = worst === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : worst === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip = tooltip(snapshot);
    item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function badgeText(app: AppSnapshot, named: boolean): string {
  const live = liveSlot(app);
  const watching = watchText(app);
  return `${named ? `${app.name} ` : ''}LIVE: ${live ? `${slotLabel(live.name)} ${versionOf(live)}` : 'unknown'}${watching ? ` · ${watching}` : ''}`;
}

function tooltip(snapshot: Snapshot): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  for (const app of snapshot.apps) {
    md.appendMarkdown(`**${app.name}**\n\n| Slot | Role | Health | Version | Commit |\n|---|---|---|---|---|\n`);
    for (const s of slotList(app)) md.appendMarkdown(`| ${slotLabel(s.name)} | ${s.role} | ${healthText(s)} | ${versionOf(s)} | ${s.commit?.slice(0, 7) ?? '?'} |\n`);
    for (const d of app.drift) md.appendMarkdown(`\n$(warning) ${d.message}\n`);
    for (const lb of app.lbs) if (lb.error) md.appendMarkdown(`\n$(error) ${app.lbs.length > 1 ? `${lb.host}: ` : ''}${lb.error}\n`);
    md.appendMarkdown('\n');
  }
  md.appendMarkdown(`_Read ${new Date(snapshot.takenAt).toLocaleTimeString()} in ${snapshot.durationMs} ms. Click for actions._`);
  return md;
}
