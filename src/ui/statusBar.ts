import * as vscode from 'vscode';
import { watchText } from '../core/status/routed';
import { liveSlot, severity, slotLabel, slotList, Snapshot } from '../core/status/snapshot';
import { healthText, versionOf } from './format';
import { StatusModel } from './statusModel';

/** The one status-bar item: LIVE slot and version; coloured when something is wrong. */
export class StatusBadge implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bluegreen.live', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: StatusModel) {
    this.item.name = 'Blue-Green LIVE slot';
    this.item.command = 'bluegreen.quickActions';
    this.subscription = model.onDidChange(() => this.render());
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
    item.text = `$(broadcast) ${badgeText(snapshot)}`;
    const worst = snapshot.apps.map(severity).reduce((a, b) => (a === 'error' || b === 'error' ? 'error' : a === 'warning' || b === 'warning' ? 'warning' : 'ok'), 'ok');
    item.backgroundColor = worst === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : worst === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip = tooltip(snapshot);
    item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function badgeText(snapshot: Snapshot): string {
  const parts = snapshot.apps.map((app) => {
    const live = liveSlot(app);
    const watching = watchText(app);
    const text = (live ? `${slotLabel(live.name)} ${versionOf(live)}` : 'unknown') + (watching ? ` · ${watching}` : '');
    return snapshot.apps.length > 1 ? `${app.name} ${text}` : text;
  });
  return `LIVE: ${parts.join(' | ')}`;
}

function tooltip(snapshot: Snapshot): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  for (const app of snapshot.apps) {
    md.appendMarkdown(`**${app.name}**\n\n| Slot | Role | Health | Version | Commit |\n|---|---|---|---|---|\n`);
    for (const s of slotList(app)) md.appendMarkdown(`| ${slotLabel(s.name)} | ${s.role} | ${healthText(s)} | ${versionOf(s)} | ${s.commit?.slice(0, 7) ?? '?'} |\n`);
    for (const d of app.drift) md.appendMarkdown(`\n$(warning) ${d.message}\n`);
    if (app.lb.error) md.appendMarkdown(`\n$(error) ${app.lb.error}\n`);
    md.appendMarkdown('\n');
  }
  md.appendMarkdown(`_Read ${new Date(snapshot.takenAt).toLocaleTimeString()} in ${snapshot.durationMs} ms. Click for actions._`);
  return md;
}
