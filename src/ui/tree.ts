import * as vscode from 'vscode';
import { watchText } from '../core/status/routed';
import { trafficProofShort, trafficProofText } from '../core/status/trafficProof';
import { counted } from '../core/format';
import { checkWords, serverStateWords } from '../core/status/haproxyWords';
import { percentText } from '../core/status/traffic';
import { remedyOf } from '../core/haproxy/doctor';
import { HistoryEntry } from '../core/state/stateFile';
import { isSwitch } from '../core/state/historyKinds';
import { AppSnapshot, Drift, liveSlot, LoadBalancerSnapshot, ServerSnapshot, severity, SlotSnapshot, slotLabel, slotList } from '../core/status/snapshot';
import { healthText, relativeTime, versionOf } from './format';
import { colour, driftItem, localTime, slotItem, switchItem, watchItem } from './treeItems';
import { pipelineItem, stageItem } from './pipelineItems';
import { Pipeline, pipelineOf, PipelineStage } from '../core/status/pipeline';
import { StatusModel } from './statusModel';

type Node =
  | { kind: 'app'; app: AppSnapshot }
  | { kind: 'lb'; app: AppSnapshot; lb: LoadBalancerSnapshot }
  | { kind: 'slot'; app: AppSnapshot; slot: SlotSnapshot }
  | { kind: 'server'; app: AppSnapshot; slot: SlotSnapshot; server: ServerSnapshot }
  | { kind: 'history'; app: AppSnapshot }
  | { kind: 'watch'; app: AppSnapshot }
  | { kind: 'canary'; app: AppSnapshot }
  | { kind: 'switch'; app: AppSnapshot; entry: HistoryEntry; latest: boolean }
  | { kind: 'drift'; app: AppSnapshot; drift: Drift }
  | { kind: 'pipeline'; app: AppSnapshot; pipeline: Pipeline }
  | { kind: 'stage'; app: AppSnapshot; pipeline: Pipeline; stage: PipelineStage }
  | { kind: 'info'; label: string; description?: string; icon?: vscode.ThemeIcon; tooltip?: string };

const HISTORY_SHOWN = 10;

function info(label: string, description?: string, icon?: string, iconColour?: string, tooltip?: string): Node {
  return { kind: 'info', label, description, icon: icon ? new vscode.ThemeIcon(icon, iconColour ? colour(iconColour) : undefined) : undefined, tooltip };
}

/**
 * An app's rows by what matters: LIVE, then STANDBY (in that order across every switch), then
 * what needs a person now (a canary, a watch, drift), the way to production when the app has a
 * staging, then the load balancer(s) and the history.
 */
function appRows(app: AppSnapshot, following?: string): Node[] {
  const rows: Node[] = slotsByRole(app).map((slot) => ({ kind: 'slot', app, slot }));
  if (app.lb.canary) rows.push({ kind: 'canary', app });
  if (watchText(app) && app.lb.state.watch) rows.push({ kind: 'watch', app });
  for (const drift of app.drift) if (drift.kind !== 'watch-interrupted') rows.push({ kind: 'drift', app, drift });
  const pipeline = pipelineOf(app, following);
  if (pipeline) rows.push({ kind: 'pipeline', app, pipeline });
  rows.push(...app.lbs.map((lb): Node => ({ kind: 'lb', app, lb })));
  if (app.lb.state.status === 'ok' && app.lb.state.history.length) rows.push({ kind: 'history', app });
  return rows;
}

/** LIVE first, STANDBY second; while the roles are unknown, BLUE then GREEN. */
function slotsByRole(app: AppSnapshot): SlotSnapshot[] {
  const rank = (s: SlotSnapshot) => (s.role === 'LIVE' ? 0 : s.role === 'STANDBY' ? 1 : 2);
  return [...slotList(app)].sort((a, b) => rank(a) - rank(b));
}

/** One plain TreeDataProvider over the StatusModel; it redraws when the model changes. */
export class StatusTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: StatusModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'app':
        return appRows(node.app, this.model.following.get(node.app.name));
      case 'pipeline':
        return node.pipeline.stages.map((stage): Node => ({ kind: 'stage', app: node.app, pipeline: node.pipeline, stage }));
      case 'slot':
        return [
          ...(node.slot.servers.length > 1 ? node.slot.servers.map((server): Node => ({ kind: 'server', app: node.app, slot: node.slot, server })) : []),
          ...(node.slot.smoke ?? []).map((r) => info(r.name, r.detail, r.ok ? 'pass' : 'error', r.ok ? 'testing.iconPassed' : 'testing.iconFailed', `Smoke test ${r.ok ? 'passed' : 'failed'}: ${r.name} — ${r.detail}`)),
        ];
      case 'lb':
        return this.loadBalancerChildren(node.app, node.lb);
      case 'canary':
        return slotList(node.app).map((slot) => {
          const t = node.app.lb.traffic?.[slot.name];
          const text = t ? `${counted(t.requests, 'request')} · ${percentText(t.http5xx, t.requests)} 5xx · ${t.responseMs} ms` : 'no counts (set loadBalancer.statsSocket)';
          // Short for a narrow sidebar (HAProxy's own abbreviation); the words in the tooltip.
          const short = t ? `${t.requests} req · ${percentText(t.http5xx, t.requests)} 5xx` : 'no counts';
          return info(slot.role, short, 'graph', undefined, `What HAProxy counted for ${slot.role} ${slotLabel(slot.name)}'s backend since its last reload: ${text}.`);
        });
      case 'history':
      {
        const shown = [...node.app.lb.state.history].reverse().slice(0, HISTORY_SHOWN);
        // Roll back is offered on the latest switch, past any canary, reconcile or skipped-staging entries after it.
        const latest = shown.findIndex(isSwitch);
        return shown.map((entry, i): Node => ({ kind: 'switch', app: node.app, entry, latest: i === latest }));
      }
      default:
        return [];
    }
  }

  private roots(): Node[] {
    const { model } = this;
    if (!model.config) return [];
    if (!model.snapshot) {
      if (model.refreshError) return [info('Status could not be read', model.refreshError, 'error', 'testing.iconFailed', model.refreshError)];
      return [info(model.refreshing ? 'Reading status…' : 'Status not read yet', undefined, model.refreshing ? 'sync~spin' : 'circle-outline')];
    }
    return model.snapshot.apps.map((app): Node => ({ kind: 'app', app }));
  }

  private loadBalancerChildren(app: AppSnapshot, lb: LoadBalancerSnapshot): Node[] {
    const first = lb === app.lb;
    const nodes: Node[] = [];
    if (lb.error) nodes.push(info('Error', lb.error, 'error', 'testing.iconFailed', lb.error));
    if (lb.backend) {
      const routing = `${lb.frontend}${lb.acl ? ` if ${lb.acl}` : ''} → ${lb.backend}${lb.routesTo ? ` (${slotLabel(lb.routesTo)})` : ''}`;
      nodes.push(info('Routing', `${lb.backend}${lb.routesTo ? ` (${slotLabel(lb.routesTo)})` : ''}`, 'arrow-right', undefined, `Frontend ${routing}`));
    }
    if (lb.trafficProof) {
      const text = trafficProofText(lb.trafficProof);
      const reached = app.drift.some((d) => d.kind === 'traffic-reaches-standby' && (!d.lb || d.lb === lb.host));
      nodes.push(info('Traffic', trafficProofShort(lb.trafficProof), reached ? 'error' : lb.trafficProof.counted ? 'pass' : 'info', reached ? 'testing.iconFailed' : undefined, `${text}${lb.trafficProof.request ? `\n\nA request through the frontend: ${lb.trafficProof.request.detail}` : ''}`));
    }
    for (const f of lb.findings ?? []) {
      const remedy = remedyOf(f);
      nodes.push(info(f.title, f.fix ? 'fixable' : 'by hand', f.severity === 'error' ? 'error' : 'warning', f.severity === 'error' ? 'testing.iconFailed' : 'list.warningForeground', `${f.why}.${remedy ? `\n\n${remedy}${f.fix ? ' (Check Setup)' : ''}` : ''}`));
    }
    if (lb.notSwitchable) nodes.push(info('Cannot switch', lb.notSwitchable, 'warning', 'list.warningForeground', lb.notSwitchable));
    // A running watch shows on the app; the lock of anything else here.
    if (lb.lock && !(first && watchText(app) && lb.state.watch)) nodes.push(info('Locked', `${lb.lock.who}: ${lb.lock.operation}`, 'lock', undefined, `${lb.lock.who} holds the app's lock (${lb.lock.operation}) since ${localTime(lb.lock.since)}: other operations wait for it.`));
    if (lb.state.status === 'ok') {
      nodes.push(info('Last switch', relativeTime(lb.state.lastSwitch), 'history', undefined, localTime(lb.state.lastSwitch)));
      nodes.push(info('Switch count', String(lb.state.switchCount ?? 0), 'symbol-number'));
    }
    for (const s of lb.runtime?.servers ?? []) {
      const words = [serverStateWords(s.status), checkWords(s.check), counted(s.sessions, 'session')].filter(Boolean).join(' · ');
      // The state alone while its checks pass: what is wrong, when something is, fits the row.
      const passing = !s.check || /^(\*\s*)?(L7OKC?|L4OK|L6OK|PROCOK)$/.test(s.check.trim());
      const short = passing ? serverStateWords(s.status) : `${serverStateWords(s.status)} · ${checkWords(s.check)}`;
      nodes.push(info(`${s.backend}/${s.server}`, short, 'pulse', s.status.startsWith('UP') ? 'testing.iconPassed' : 'testing.iconFailed', `${s.backend}/${s.server}: ${words} (HAProxy: ${s.status}${s.check ? `, ${s.check}` : ''})`));
    }
    for (const p of lb.oldProcesses ?? []) nodes.push(info(`Old HAProxy process ${p.pid}`, `draining · ${p.connections ?? '?'} connection(s) · up ${p.uptime}`, 'debug-step-out', undefined, 'Left from a reload: it serves the connections it had until their clients close them, or until hard-stop-after.'));
    if (lb.runtime?.error) nodes.push(info('Stats socket', lb.runtime.error, 'warning', 'list.warningForeground'));
    return nodes;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'app': {
        const { app } = node;
        const live = liveSlot(app);
        const item = new vscode.TreeItem(app.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `app:${app.name}`;
        const watching = watchText(app);
        item.description = (live ? `LIVE ${slotLabel(live.name)} ${versionOf(live)}` : 'LIVE unknown') + (watching ? ` · ${watching}` : '');
        const sev = severity(app);
        item.iconPath = new vscode.ThemeIcon(sev === 'ok' ? 'pass' : sev === 'warning' ? 'warning' : 'error', colour(sev === 'ok' ? 'testing.iconPassed' : sev === 'warning' ? 'list.warningForeground' : 'testing.iconFailed'));
        // Staging's commands on the app when it has one; Deploy Skipping Staging when its gate is on.
        const staging = this.model.config?.apps.find((a) => a.name === app.name)?.staging;
        item.contextValue = staging ? `app:staging${staging.required ? ':required' : ''}` : 'app';
        return item;
      }
      case 'lb': {
        const { lb } = node;
        const several = node.app.lbs.length > 1;
        const item = new vscode.TreeItem(several ? `Load balancer ${node.app.lbs.indexOf(lb) + 1}` : 'Load balancer', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `lb:${node.app.name}${several ? `:${lb.host}` : ''}`;
        const drifted = node.app.drift.some((d) => d.kind !== 'watch-interrupted' && (!several || d.lb === undefined || d.lb === lb.host));
        const switches = lb.state.status === 'ok' ? counted(lb.state.switchCount ?? 0, 'switch', 'switches') : undefined;
        // Short enough for a narrow sidebar: where it routes and how often it switched; the rest in the tooltip.
        item.description = !lb.reachable ? `${lb.host} · unreachable` : [lb.routesTo ? `→ ${slotLabel(lb.routesTo)}` : undefined, switches, drifted ? 'drift' : undefined].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(drifted ? 'warning' : 'server-environment', !lb.reachable || lb.error ? colour('testing.iconFailed') : drifted ? colour('list.warningForeground') : undefined);
        item.tooltip = lb.error ?? `${lb.host}: frontend ${lb.frontend}${lb.backend ? ` → ${lb.backend}` : ''}${switches ? `\n${switches}, the last ${localTime(lb.state.lastSwitch)}` : ''}`;
        item.accessibilityInformation = { label: `Load balancer ${item.description}` };
        item.contextValue = node.app.drift.length ? 'loadBalancer:drift' : 'loadBalancer';
        return item;
      }
      case 'slot':
        return slotItem(node.app, node.slot);
      case 'server':
        return serverItem(node.slot, node.server);
      case 'history': {
        const item = new vscode.TreeItem('History', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `history:${node.app.name}`;
        item.description = counted(node.app.lb.state.history.length, 'entry', 'entries');
        item.iconPath = new vscode.ThemeIcon('list-unordered');
        return item;
      }
      case 'switch':
        return switchItem(node.app, node.entry, node.latest);
      case 'watch':
        return watchItem(node.app);
      case 'drift':
        return driftItem(node.app, node.drift);
      case 'pipeline':
        return pipelineItem(node.app, node.pipeline);
      case 'stage':
        return stageItem(node.app, node.pipeline, node.stage);
      case 'canary': {
        const c = node.app.lb.canary!;
        const item = new vscode.TreeItem(`Canary ${c.percent}% → ${c.slot ? slotLabel(c.slot) : c.backend}`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `canary:${node.app.name}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.tooltip = `Line ${c.line} of the HAProxy config sends ${c.percent}% of ${node.app.name}'s clients to ${c.backend}, each client kept on one slot (${c.key}). Release promotes it (every client to it); End Canary sends every client back to LIVE; Canary… changes the share.`;
        item.contextValue = 'canary';
        item.accessibilityInformation = { label: `${String(item.label)}, sticky by ${c.key}` };
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.iconPath = node.icon;
        item.tooltip = node.tooltip ?? (node.description ? `${node.label}: ${node.description}` : node.label);
        item.accessibilityInformation = { label: node.description ? `${node.label}: ${node.description}` : node.label };
        return item;
      }
    }
  }
}

/** One server of a slot with several: its health, code and processes in a row; its logs and a terminal on it from its menu. */
function serverItem(slot: SlotSnapshot, s: ServerSnapshot): vscode.TreeItem {
  const pm2 = s.pm2 && `pm2 ${s.pm2.status}`;
  const row = [healthText(s), s.version && `v${s.version}`, s.commit?.slice(0, 7), pm2, s.haproxyCheck && `HAProxy: ${serverStateWords(s.haproxyCheck)}`].filter(Boolean).join(' · ');
  const problem = s.error ?? s.healthDetail;
  const item = new vscode.TreeItem(s.server, vscode.TreeItemCollapsibleState.None);
  item.description = row;
  item.iconPath = new vscode.ThemeIcon('server', colour(s.health === 'up' ? 'testing.iconPassed' : s.health === 'down' ? 'testing.iconFailed' : 'disabledForeground'));
  item.tooltip = `${s.server} (${s.host}, ${s.url}): ${row}${problem ? `\n\n${problem}` : ''}`;
  item.accessibilityInformation = { label: `${s.server}: ${row}` };
  item.contextValue = `server:${slot.role.toLowerCase()}`;
  return item;
}
