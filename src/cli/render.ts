import { trafficProofText } from '../core/status/trafficProof';
import { shortDuration } from '../core/format';
import { watchText } from '../core/status/routed';
import { percentText } from '../core/status/traffic';
import { AppSnapshot, SlotSnapshot, SmokeResult, Snapshot, slotLabel, slotList, StagingSnapshot } from '../core/status/snapshot';
import { stagingLine } from '../core/state/stagingRecord';

function age(ms?: number): string {
  return ms === undefined ? '' : shortDuration(ms);
}

function health(slot: Pick<SlotSnapshot, 'reachable' | 'health' | 'responseMs'>): string {
  if (!slot.reachable && slot.health === 'unknown') return 'unreachable';
  return slot.health + (slot.responseMs !== undefined ? ` ${slot.responseMs}ms` : '');
}

function pm2(slot: Pick<SlotSnapshot, 'pm2'>): string {
  if (!slot.pm2) return '';
  return [slot.pm2.status, slot.pm2.restarts !== undefined ? `↻${slot.pm2.restarts}` : '', age(slot.pm2.uptimeMs)].filter(Boolean).join(' ');
}

function smokeLine(r: SmokeResult): string {
  return `${r.ok ? 'ok    ' : 'FAILED'} ${r.name}: ${r.detail}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

function renderApp(app: AppSnapshot): string {
  const lines = [`${app.name}: LIVE ${app.live ? slotLabel(app.live) : 'UNKNOWN'}`];
  for (const lb of app.lbs) {
    const routing = lb.backend ? `${lb.frontend}${lb.acl ? ` (if ${lb.acl})` : ''} → ${lb.backend}${lb.routesTo ? ` (${slotLabel(lb.routesTo)})` : ''}` : 'routing unknown';
    lines.push(`  load balancer ${lb.host}: ${lb.reachable ? routing : 'unreachable'}`);
    if (lb.state.status === 'ok') lines.push(`  switches ${lb.state.switchCount ?? 0}, last ${lb.state.lastSwitch ?? 'never'}`);
    if (lb.error) lines.push(`  error: ${lb.error}`);
  }
  const rows = [['SLOT', 'ROLE', 'HEALTH', 'VERSION', 'COMMIT', 'PM2', 'HOST']];
  for (const s of slotList(app)) {
    rows.push([slotLabel(s.name), s.role, health(s), s.version ?? '?', s.commit?.slice(0, 7) ?? (s.serversDisagree ? 'differ' : '?'), pm2(s), s.servers.length > 1 ? `${s.servers.length} servers` : s.host]);
    // Each server of a slot with several, under it.
    if (s.servers.length > 1) for (const v of s.servers) rows.push([`  ${v.server}`, '', health(v), v.version ?? '?', v.commit?.slice(0, 7) ?? '?', pm2(v), v.host]);
  }
  lines.push(...table(rows).split('\n').map((l) => `  ${l}`));
  for (const s of slotList(app)) {
    if (s.error) lines.push(`  ${slotLabel(s.name)}: ${s.error}`);
    else if (s.healthDetail) lines.push(`  ${slotLabel(s.name)}: ${s.healthDetail}`);
    if (s.serversDisagree) lines.push(`  ${slotLabel(s.name)}: ${s.serversDisagree}`);
  }
  for (const s of slotList(app)) for (const r of s.smoke ?? []) lines.push(`  ${slotLabel(s.name)} smoke ${smokeLine(r)}`);
  for (const lb of app.lbs) {
    const on = app.lbs.length > 1 ? ` on ${lb.host}` : '';
    for (const p of lb.oldProcesses ?? []) lines.push(`  draining${on}: old HAProxy process ${p.pid} holds ${p.connections ?? '?'} connection(s), up ${p.uptime}`);
    for (const f of lb.findings ?? []) lines.push(`  ${f.severity}${on}: ${f.title} (bluegreen doctor)`);
    if (lb.notSwitchable) lines.push(`  cannot switch${on}: ${lb.notSwitchable}`);
    if (lb.trafficProof) lines.push(`  traffic${on}: ${trafficProofText(lb.trafficProof)}`);
  }
  const canary = app.lb.canary;
  if (canary) {
    const counts = slotList(app).map((s) => {
      const t = app.lb.traffic?.[s.name];
      return t ? `${slotLabel(s.name)} ${t.requests} requests, ${percentText(t.http5xx, t.requests)} 5xx, ${t.responseMs} ms` : undefined;
    });
    lines.push(`  canary: ${canary.percent}% to ${canary.slot ? slotLabel(canary.slot) : canary.backend} (by ${canary.key})${counts.some(Boolean) ? `; ${counts.filter(Boolean).join('; ')}` : ''}`);
  }
  if (app.staging) lines.push(`  ${stagingText(app.staging)}`);
  const watching = watchText(app);
  if (watching) lines.push(`  ${watching}${app.lb.lock ? ` by ${app.lb.lock.who}` : ''}`);
  else if (app.lb.lock) lines.push(`  locked by ${app.lb.lock.who}: ${app.lb.lock.operation}`);
  for (const d of app.drift) lines.push(`  ${d.kind === 'mixed-routing' ? 'TRAFFIC SPLIT' : d.kind === 'traffic-reaches-standby' ? 'TRAFFIC ON STANDBY' : 'drift'}: ${d.message}`);
  return lines.join('\n');
}

/** "staging (develop, on stage1): v1.3.0 abc1234 passed 2026-… by ana@laptop". */
export function stagingText(st: StagingSnapshot): string {
  const head = `staging (${st.branch}, on ${st.host})`;
  if (st.status === 'never-deployed') return `${head}: never deployed`;
  if (st.status !== 'ok') return `${head}: ${st.reachable ? 'record unreadable' : 'unreachable'}${st.error ? ` (${st.error})` : ''}`;
  return `${head}: ${st.last ? stagingLine(st.last) : 'no deploys recorded'}`;
}

export function renderSnapshot(snapshot: Snapshot): string {
  return snapshot.apps.map(renderApp).join('\n\n');
}

/** Each slot's smoke results, LIVE and STANDBY named. */
export function renderSmoke(app: AppSnapshot): string {
  return slotList(app)
    .map((s) => [`${slotLabel(s.name)} (${s.role})`, ...(s.smoke ?? []).map((r) => `  ${smokeLine(r)}`)].join('\n'))
    .join('\n');
}
