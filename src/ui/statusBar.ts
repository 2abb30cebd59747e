import * as vscode from 'vscode';
import { watchText } from '../core/status/routed';
import { appProblem, appsSummary } from '../core/status/appsSummary';
import { LiveCheck } from '../core/status/liveCheck';
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

  /** Exposed for tests: why it is coloured ('error', 'warning'), or undefined. */
  get alarm(): 'error' | 'warning' | undefined {
    return this.shownAlarm;
  }

  private shownAlarm?: 'error' | 'warning';

  private render(): void {
    const { model, item } = this;
    if (!model.config) {
      item.hide();
      return;
    }
    const snapshot = model.snapshot;
    if (!snapshot) {
      item.text = model.refreshError ? '$(error) LIVE: not read' : '$(sync~spin) LIVE: reading…';
      item.tooltip = model.refreshError ?? 'Blue-Green: the status is read in a moment (or open the view, or click for actions)';
      item.backgroundColor = model.refreshError ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      this.shownAlarm = model.refreshError ? 'error' : undefined;
      item.show();
      return;
    }
    const focused = snapshot.apps.find((a) => a.name === focusedApp(model.config));
    const shown = focused ? [focused] : snapshot.apps;
    const down = (app: AppSnapshot) => model.liveChecks.get(app.name)?.ok === false;
    const age = staleAge(snapshot, model);
    item.text = `$(broadcast) ${shown.length > 1 ? appsSummary(shown) : badgeText(shown[0], snapshot.apps.length > 1, model.liveChecks.get(shown[0].name))}${age ? ` · read ${age}` : ''}`;
    const worst = shown.map((a) => (down(a) ? 'error' : severity(a))).reduce((a, b) => (a === 'error' || b === 'error' ? 'error' : a === 'warning' || b === 'warning' ? 'warning' : 'ok'), 'ok');
    item.backgroundColor = worst === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : worst === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.shownAlarm = worst === 'ok' ? undefined : worst;
    // An old reading nobody checked since is shown dimmed, with its age.
    item.color = age && worst === 'ok' ? new vscode.ThemeColor('disabledForeground') : undefined;
    item.tooltip = tooltip(snapshot, [...model.liveChecks.values()]);
    item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function badgeText(app: AppSnapshot, named: boolean, check?: LiveCheck): string {
  const live = liveSlot(app);
  const said = [watchText(app), ...reasonsOf(app, check)].filter(Boolean);
  return `${named ? `${app.name} ` : ''}LIVE: ${live ? `${slotLabel(live.name)} ${versionOf(live)}` : 'unknown'}${said.map((s) => ` · ${s}`).join('')}`;
}

/** Why the badge is coloured, in a few words, and a running canary (not a problem, but not to be missed). */
function reasonsOf(app: AppSnapshot, check?: LiveCheck): string[] {
  // An interrupted watch is drift too, and the watch's own words already say it.
  const onlyWatch = app.drift.every((d) => d.kind === 'watch-interrupted');
  const found = appProblem(app);
  const problem = check?.ok === false ? 'LIVE down' : found === 'drift' && onlyWatch ? undefined : found;
  const words = problem === 'LIVE unhealthy' ? 'LIVE down' : problem === 'STANDBY unhealthy' ? 'STANDBY down' : problem;
  const canary = app.lb.canary;
  const to = canary?.slot && app.slots[canary.slot];
  return [words, canary ? `canary ${canary.percent}% → ${to ? versionOf(to) : canary.backend}` : undefined].filter((s): s is string => !!s);
}

/** How old the shown reading is, when nothing read or checked it for a while ("3 min ago"). */
function staleAge(snapshot: Snapshot, model: StatusModel): string | undefined {
  const checked = Math.max(Date.parse(snapshot.takenAt) + snapshot.durationMs, ...[...model.liveChecks.values()].map((c) => c.at));
  const ms = Date.now() - checked;
  return ms > STALE_MS ? `${Math.round(ms / 60_000)} min ago` : undefined;
}

/** A reading older than this, with no check since, is said to be old. */
const STALE_MS = 3 * 60_000;

function tooltip(snapshot: Snapshot, checks: readonly LiveCheck[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  for (const app of snapshot.apps) {
    md.appendMarkdown(`**${app.name}**\n\n| Slot | Role | Health | Version | Commit |\n|---|---|---|---|---|\n`);
    for (const s of slotList(app)) md.appendMarkdown(`| ${slotLabel(s.name)} | ${s.role} | ${healthText(s)} | ${versionOf(s)} | ${s.commit?.slice(0, 7) ?? '?'} |\n`);
    for (const d of app.drift) md.appendMarkdown(`\n$(warning) ${d.message}\n`);
    for (const lb of app.lbs) if (lb.error) md.appendMarkdown(`\n$(error) ${app.lbs.length > 1 ? `${lb.host}: ` : ''}${lb.error}\n`);
    md.appendMarkdown('\n');
  }
  for (const c of checks) md.appendMarkdown(`${c.ok ? '$(pass)' : '$(error)'} ${c.app}: ${c.ok ? 'LIVE answered through the frontend' : c.problem} (checked ${new Date(c.at).toLocaleTimeString()})\n\n`);
  md.appendMarkdown(`_Read ${new Date(snapshot.takenAt).toLocaleTimeString()} in ${snapshot.durationMs} ms. Click for actions._`);
  return md;
}
