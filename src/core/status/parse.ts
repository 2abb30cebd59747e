import { RuntimeServer } from './snapshot';

/** HAProxy `show stat` CSV: only server rows, only the fields we show. */
export function parseShowStat(csv: string): RuntimeServer[] {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).split(',');
  const col = (name: string) => columns.indexOf(name);
  const [px, sv, status, check, scur] = ['pxname', 'svname', 'status', 'check_status', 'scur'].map(col);
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.split(','))
    .filter((f) => f[sv] && f[sv] !== 'FRONTEND' && f[sv] !== 'BACKEND')
    .map((f) => ({ backend: f[px], server: f[sv], status: f[status], check: f[check] || undefined, sessions: Number(f[scur]) || 0 }));
}

/** `show stat` CSV: each backend's cumulative sessions (`stot`), which count every request HAProxy routes to it. */
export function parseBackendSessions(csv: string): Map<string, number> {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('# '));
  const sessions = new Map<string, number>();
  if (!header) return sessions;
  const columns = header.slice(2).split(',');
  const [px, sv, stot] = ['pxname', 'svname', 'stot'].map((c) => columns.indexOf(c));
  for (const f of lines.filter((l) => !l.startsWith('#')).map((l) => l.split(','))) {
    if (f[sv] === 'BACKEND' && /^\d+$/.test(f[stot] ?? '')) sessions.set(f[px], Number(f[stot]));
  }
  return sessions;
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
  const status = env.status ?? 'unknown';
  return {
    status,
    restarts: env.restart_time ?? 0,
    uptimeMs: status === 'online' && env.pm_uptime ? Math.max(0, now - env.pm_uptime) : undefined,
    pid: p.pid || undefined,
  };
}

export interface HealthBody {
  version?: string;
  environment?: string;
  commit?: string;
}

export function parseHealthBody(body: string): HealthBody {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return { version: str(j.version), environment: str(j.environment), commit: str(j.commit) };
  } catch {
    return {};
  }
}
