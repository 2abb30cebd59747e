import * as vscode from 'vscode';
import { timeLeft } from '../core/format';
import { HistoryEntry } from '../core/state/stateFile';
import { versionText } from '../core/status/describe';
import { serverStateWords } from '../core/status/haproxyWords';
import { AppSnapshot, Drift, SlotSnapshot, slotLabel } from '../core/status/snapshot';
import { duration, healthText, relativeTime, versionOf } from './format';

/* The tree's rows as VS Code items: a slot, a recorded switch, drift, a watch. */

export function colour(id: string): vscode.ThemeColor {
  return new vscode.ThemeColor(id);
}

/** A time as the person's clock shows it (tooltips); what is not a time, as it is. */
export function localTime(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? (iso ?? '?') : new Date(t).toLocaleString();
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function isCanaryEntry(h: HistoryEntry): boolean {
  return h.kind === 'canary' || h.kind === 'canary-end';
}

/** A reconcile's entry: what the state file said, and the LIVE it was made to say (HAProxy's). */
function reconcileTitle(h: HistoryEntry): string {
  const live = String(h.live ?? '?').toUpperCase();
  return typeof h.recorded === 'string' ? `State file ${h.recorded.toUpperCase()} → ${live}` : `State file rewritten: ${live} LIVE`;
}

/** One recorded switch: when, from → to with versions, what kind, who, why. */
export function switchItem(app: AppSnapshot, h: HistoryEntry, latest: boolean): vscode.TreeItem {
  const [from, to] = [String(h.from ?? '?').toUpperCase(), String(h.to ?? '?').toUpperCase()];
  const versions = text(h.fromVersion) || text(h.toVersion) ? `v${text(h.fromVersion) ?? '?'} → v${text(h.toVersion) ?? '?'}` : undefined;
  const kind = [text(h.kind), h.emergency === true ? 'emergency' : undefined, h.routedBack === true ? "routed back to the state file's LIVE" : undefined].filter(Boolean).join(', ');
  const reconciled = h.kind === 'reconcile';
  const skipped = h.kind === 'staging-skipped';
  const restarted = h.kind === 'restart';
  const title = restarted ? `Restart ${String(h.slot ?? '?').toUpperCase()}${text(h.role) ? ` (${text(h.role)})` : ''}` : skipped ? `Staging skipped → ${to}${text(h.toVersion) ? ` v${text(h.toVersion)}` : ''}` : h.kind === 'canary' ? `Canary ${typeof h.percent === 'number' ? h.percent : '?'}% → ${to}` : h.kind === 'canary-end' ? `Canary ended: all → ${to}` : reconciled ? reconcileTitle(h) : `→ ${to}${text(h.toVersion) ? ` v${text(h.toVersion)}` : ''}`;
  const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
  const plain = isCanaryEntry(h) || reconciled || skipped || restarted;
  // When, and what was unusual about it (a plain release says nothing more); versions, who and why in the tooltip.
  const unusual = plain || h.kind === 'release' ? (h.emergency === true ? 'emergency' : h.routedBack === true ? 'routed back' : undefined) : text(h.kind);
  item.description = [relativeTime(h.timestamp), unusual, reconciled || skipped || restarted ? 'traffic untouched' : undefined].filter(Boolean).join(' · ');
  item.accessibilityInformation = { label: [plain ? title : `${from} → ${to}`, plain ? undefined : versions, plain ? undefined : kind, relativeTime(h.timestamp)].filter(Boolean).join(', ') };
  item.iconPath = skipped ? new vscode.ThemeIcon('warning', colour('list.warningForeground')) : new vscode.ThemeIcon(isCanaryEntry(h) ? 'beaker' : reconciled ? 'git-compare' : restarted ? 'debug-restart' : h.kind === 'auto-rollback' || h.kind === 'rollback' ? 'history' : 'arrow-swap');
  // Rolling back makes sense on the switch that made the current LIVE: it goes back to its "from".
  // Not to a slot that is down: a rollback there would be refused (or, as an emergency, break LIVE).
  const canRollBack = latest && String(h.to ?? '').toLowerCase() === app.live && String(h.from ?? '').toLowerCase() === app.standby && app.slots[app.standby].health === 'up';
  item.contextValue = canRollBack ? 'switch:latest' : 'switch';
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${plain ? title : `${from} → ${to}`}**${kind ? ` (${kind})` : ''}\n\n`);
  for (const [k, v] of [
    ['When', text(h.timestamp)],
    ['Who', text(h.by)],
    ['Versions', versions],
    ['Commits', text(h.fromCommit) || text(h.toCommit) ? `${text(h.fromCommit)?.slice(0, 7) ?? '?'} → ${text(h.toCommit)?.slice(0, 7) ?? '?'}` : undefined],
    ['Servers', restarted && Array.isArray(h.servers) ? h.servers.filter((x) => typeof x === 'string').join(', ') : undefined],
    ['Reason', text(h.reason)],
    ['Staging said', skipped ? text(h.overrode) : undefined],
    ['Approved via', text(h.approvedVia)],
  ] as const) {
    if (v) md.appendMarkdown(`- ${k}: ${v}\n`);
  }
  item.tooltip = md;
  return item;
}

/** Drift (HAProxy and the state file disagree, traffic split, STANDBY reached): a row of its own, with Reconcile on it. */
export function driftItem(app: AppSnapshot, d: Drift): vscode.TreeItem {
  const split = d.kind === 'mixed-routing' || d.kind === 'traffic-reaches-standby';
  const item = new vscode.TreeItem(split ? (d.kind === 'mixed-routing' ? 'Traffic split' : 'Traffic reaches STANDBY') : 'Drift', vscode.TreeItemCollapsibleState.None);
  item.id = `drift:${app.name}:${d.kind}:${d.lb ?? ''}`;
  item.description = `${app.lbs.length > 1 && d.lb ? `${d.lb}: ` : ''}${d.message}`;
  item.iconPath = new vscode.ThemeIcon(split ? 'error' : 'warning', colour(split ? 'testing.iconFailed' : 'list.warningForeground'));
  item.tooltip = `${d.message}${d.kind === 'state-file-disagrees' ? "\n\nReconcile: accept HAProxy's routing (the state file is rewritten), or route traffic back to the state file's LIVE (a switch)." : ''}`;
  item.contextValue = `drift:${d.kind}`;
  item.accessibilityInformation = { label: `${String(item.label)}: ${item.description}` };
  return item;
}

export function slotItem(app: AppSnapshot, slot: SlotSnapshot): vscode.TreeItem {
  // Role and version first: a narrow sidebar cuts the end of the row, not what matters most.
  // Servers and smoke results hang under the slot; a failing one shows at once.
  const children = [...(slot.servers.length > 1 ? slot.servers : []), ...(slot.smoke ?? [])];
  const troubled = slot.smoke?.some((r) => !r.ok) || (slot.servers.length > 1 && slot.servers.some((s) => s.health !== 'up')) || !!slot.serversDisagree;
  const state = !children.length ? vscode.TreeItemCollapsibleState.None : troubled ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(`${slot.role} ${versionOf(slot)} · ${slotLabel(slot.name)}`, state);
  item.id = `slot:${app.name}:${slot.name}`;
  const servers = slot.servers.length > 1 ? `${slot.servers.filter((s) => s.health === 'up').length}/${slot.servers.length} servers` : undefined;
  // Healthy needs no word (the icon turns to an error when it is not): the commit fits a 300 px sidebar.
  const trouble = slot.health === 'up' ? undefined : !slot.reachable && slot.health === 'unknown' ? 'unreachable' : slot.health === 'down' ? 'down' : 'health ?';
  item.description = [trouble, servers, slot.serversDisagree ? 'servers differ' : slot.commit?.slice(0, 7)].filter(Boolean).join(' · ');
  item.accessibilityInformation = { label: [`${String(item.label)} ${healthText(slot)}`, servers, slot.serversDisagree ? 'servers differ' : slot.commit?.slice(0, 7)].filter(Boolean).join(' · ') };
  item.contextValue = `slot:${slot.role.toLowerCase()}:${slot.health}`;
  // The slot's own colour (BLUE blue, GREEN green) on its role icon; a slot in trouble shows that instead.
  const icon = slot.role === 'LIVE' ? 'broadcast' : slot.role === 'STANDBY' ? 'debug-pause' : 'question';
  item.iconPath = slot.health === 'down' || (!slot.reachable && slot.health === 'unknown') ? new vscode.ThemeIcon('error', colour('testing.iconFailed')) : new vscode.ThemeIcon(icon, colour(slot.name === 'blue' ? 'charts.blue' : 'charts.green'));
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${slotLabel(slot.name)}** — ${slot.role}, ${healthText(slot)}\n\n`);
  const rows: [string, string | undefined][] = [
    ['Host', slot.host],
    ['Address', slot.url],
    ['Version', slot.version],
    ['Health endpoint reports', slot.reported ? [slot.reported.version && versionText(slot.reported.version), slot.reported.commit?.slice(0, 12), slot.reported.environment].filter(Boolean).join(' · ') : undefined],
    ['Claims differ', slot.claimsDisagree],
    ['Commit', slot.commit],
    ['Branch', slot.branch],
    ['Tag', slot.tag],
    ['pm2', slot.pm2 ? [slot.pm2.status, slot.pm2.restarts !== undefined ? `${slot.pm2.restarts} restarts` : '', slot.pm2.uptimeMs !== undefined ? `up ${duration(slot.pm2.uptimeMs)}` : ''].filter(Boolean).join(', ') : undefined],
    ['HAProxy check', slot.haproxyCheck && `${serverStateWords(slot.haproxyCheck)} (${slot.haproxyCheck})`],
    ['Response time', slot.responseMs !== undefined ? `${slot.responseMs} ms` : undefined],
    ['Problem', slot.error ?? slot.healthDetail],
    ['Servers differ', slot.serversDisagree],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: \`${v.replace(/`/g, "'")}\`  \n`);
  item.tooltip = md;
  return item;
}

/** The post-switch watch recorded in the state file: who runs it and the time left, or that nobody does. */
export function watchItem(app: AppSnapshot): vscode.TreeItem {
  const watch = app.lb.state.watch!;
  const running = !!app.lb.lock;
  const item = new vscode.TreeItem(running ? `Watching ${slotLabel(watch.slot)}` : 'Watch interrupted', vscode.TreeItemCollapsibleState.None);
  item.id = `watch:${app.name}`;
  item.description = `${timeLeft(watch.until)} left · ${running ? app.lb.lock!.who : 'nobody is watching'}`;
  item.iconPath = new vscode.ThemeIcon(running ? 'eye' : 'warning', running ? undefined : colour('list.warningForeground'));
  item.tooltip = running
    ? `${app.lb.lock!.who} watches ${slotLabel(watch.slot)} through the frontend and HAProxy's counters until ${watch.until}, and switches traffic back if it fails. Stop Watching ends it early.`
    : `The watch of ${slotLabel(watch.slot)} started by ${watch.by} stopped early (its process ended) with ${timeLeft(watch.until)} left. Resume Watch goes on with it; Stop Watching removes it. Until then, deploy and sync refuse to change ${slotLabel(watch.slot === 'blue' ? 'green' : 'blue')}, the slot to switch back to.`;
  item.contextValue = running ? 'watch:running' : 'watch:interrupted';
  return item;
}
