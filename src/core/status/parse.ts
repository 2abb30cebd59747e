import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { BackendTraffic, LockHolder, ReportedIdentity, RuntimeServer } from './snapshot';
import { SessionCounts } from './trafficProof';

/** HAProxy `show stat` CSV: only server rows, only the fields we show. */
export function parseShowStat(csv: string): RuntimeServer[] {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).split(',');
  const col = (name: string) => columns.indexOf(name);
  const [px, sv, status, check, scur, addr] = ['pxname', 'svname', 'status', 'check_status', 'scur', 'addr'].map(col);
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.split(','))
    .filter((f) => f[sv] && f[sv] !== 'FRONTEND' && f[sv] !== 'BACKEND')
    .map((f) => ({ backend: f[px], server: f[sv], ...(addr >= 0 && f[addr] ? { address: f[addr] } : {}), status: f[status], check: f[check] || undefined, sessions: Number(f[scur]) || 0 }));
}

/** `show stat` CSV: the backend rows' counters. */
export function parseBackendTraffic(csv: string): Map<string, BackendTraffic> {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  const traffic = new Map<string, BackendTraffic>();
  if (!header) return traffic;
  const columns = header.slice(2).split(',');
  const [px, sv, stot, reqTot, http5xx, rtime] = ['pxname', 'svname', 'stot', 'req_tot', 'hrsp_5xx', 'rtime'].map((c) => columns.indexOf(c));
  const count = (f: string[], i: number) => (i >= 0 && /^\d+$/.test(f[i] ?? '') ? Number(f[i]) : undefined);
  for (const f of lines.filter((l) => !l.startsWith('#')).map((l) => l.split(','))) {
    const sessions = count(f, stot);
    if (f[sv] !== 'BACKEND' || sessions === undefined) continue;
    traffic.set(f[px], { sessions, requests: count(f, reqTot) ?? sessions, http5xx: count(f, http5xx) ?? 0, responseMs: count(f, rtime) ?? 0 });
  }
  return traffic;
}

/** `show stat` CSV: each backend's cumulative sessions (`stot`), which count every request HAProxy routes to it. */
export function parseBackendSessions(csv: string): Map<string, number> {
  return new Map([...parseBackendTraffic(csv)].map(([backend, t]) => [backend, t.sessions]));
}

export function parseShowInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]] = m[2];
  }
  return info;
}

export interface Pm2Process {
  status: string;
  restarts: number;
  uptimeMs?: number;
  pid?: number;
}

/**
 * `pm2 jlist` prints every process with its whole environment (secrets included): keep
 * only the named process's status fields and drop the rest at once.
 */
export function parsePm2List(output: string, name: string, now: number): Pm2Process | undefined {
  const json = output.split('\n').find((l) => l.trimStart().startsWith('['));
  if (!json) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const p = list.find((x: { name?: unknown }) => x && x.name === name) as { pid?: number; pm2_env?: { status?: string; restart_time?: number; pm_uptime?: number } } | undefined;
  if (!p) return undefined;
  const env = p.pm2_env ?? {};
  const status = fromHost(String(env.status ?? 'unknown'), HOST_TEXT_LIMITS.word);
  return {
    status,
    restarts: env.restart_time ?? 0,
    uptimeMs: status === 'online' && env.pm_uptime ? Math.max(0, now - env.pm_uptime) : undefined,
    pid: p.pid || undefined,
  };
}

/** The identity a health body claims, each field one line of a stated length. */
export function parseHealthBody(body: string): ReportedIdentity {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const str = (v: unknown, max: number) => (typeof v === 'string' && v ? fromHost(v, max) || undefined : undefined);
    return { version: str(j.version, HOST_TEXT_LIMITS.word), environment: str(j.environment, HOST_TEXT_LIMITS.word), commit: str(j.commit, HOST_TEXT_LIMITS.commit) };
  } catch {
    return {};
  }
}

/** lock-holder.sh's answer: the holder while the lock is held, else nothing. */
export function parseLockHolder(output: string): LockHolder | undefined {
  const [state, json] = output.split('\n');
  if (state !== 'held') return undefined;
  try {
    const h = JSON.parse(json ?? '') as Partial<LockHolder>;
    return { who: fromHost(String(h.who ?? 'someone'), HOST_TEXT_LIMITS.name), operation: fromHost(String(h.operation ?? 'an operation'), HOST_TEXT_LIMITS.name), since: typeof h.since === 'string' ? fromHost(h.since, HOST_TEXT_LIMITS.name) : undefined };
  } catch {
    return { who: 'someone', operation: 'an operation' };
  }
}

/** `show stat` CSV: `stot` of every backend row and every server row (frontends route, they are not reached). */
export function parseSessionCounts(csv: string): SessionCounts {
  const counts: SessionCounts = { backends: new Map(), servers: [] };
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return counts;
  const columns = header.slice(2).split(',');
  const [px, sv, stot, addr] = ['pxname', 'svname', 'stot', 'addr'].map((c) => columns.indexOf(c));
  for (const f of lines.filter((l) => !l.startsWith('#')).map((l) => l.split(','))) {
    if (!/^\d+$/.test(f[stot] ?? '') || !f[px] || !f[sv] || f[sv] === 'FRONTEND') continue;
    if (f[sv] === 'BACKEND') counts.backends.set(f[px], Number(f[stot]));
    else counts.servers.push({ backend: f[px], server: f[sv], ...(addr >= 0 && f[addr] ? { address: f[addr] } : {}), sessions: Number(f[stot]) });
  }
  return counts;
}
