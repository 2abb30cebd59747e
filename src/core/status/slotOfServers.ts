import { SlotName } from '../config/types';
import { Role, ServerSnapshot, SlotSnapshot } from './snapshot';

type Agreed = 'version' | 'commit' | 'branch' | 'tag';
const AGREED: readonly Agreed[] = ['commit', 'version', 'branch', 'tag'];

/** The value every server that reports one agrees on, or how they differ. */
function agreement(servers: readonly ServerSnapshot[], key: Agreed): { value?: string; differs?: string } {
  const known = servers.filter((s) => s[key] !== undefined);
  const values = new Set(known.map((s) => s[key]));
  if (values.size <= 1) return { value: known[0]?.[key] };
  const shown = (v: string | undefined) => (key === 'commit' ? v?.slice(0, 7) : v);
  return { differs: `${key}: ${known.map((s) => `${s.server} ${shown(s[key])}`).join(', ')}` };
}

/**
 * A slot from its servers' reports. With one server the slot is that server; with more, it is
 * healthy when `minHealthy` of them are, and it has a version or a commit only when they agree.
 */
export function slotOfServers(name: SlotName, role: Role, servers: ServerSnapshot[], minHealthy: number): SlotSnapshot {
  if (servers.length === 1) {
    const only: Partial<ServerSnapshot> = { ...servers[0] };
    delete only.server;
    return { ...(only as Omit<ServerSnapshot, 'server'>), name, role, servers };
  }
  const up = servers.filter((s) => s.health === 'up').length;
  const health = up >= minHealthy ? 'up' : servers.some((s) => s.health === 'down') ? 'down' : 'unknown';
  const unwell = servers.filter((s) => s.health !== 'up');
  const errors = servers.filter((s) => s.error).map((s) => `${s.server}: ${s.error}`);
  const slot: SlotSnapshot = {
    name,
    role,
    servers,
    host: servers.map((s) => s.host).join(', '),
    url: servers.map((s) => s.url).join(', '),
    reachable: servers.every((s) => s.reachable),
    error: errors.length ? errors.join('; ') : undefined,
    health,
    healthDetail: unwell.length ? `${up} of ${servers.length} servers healthy${minHealthy < servers.length ? ` (${minHealthy} needed)` : ''}: ${unwell.map((s) => `${s.server} ${s.healthDetail ?? s.health}`).join('; ')}` : undefined,
    httpStatus: servers.find((s) => s.httpStatus !== undefined && s.httpStatus !== 200)?.httpStatus ?? servers.find((s) => s.httpStatus !== undefined)?.httpStatus,
    responseMs: servers.some((s) => s.responseMs !== undefined) ? Math.max(...servers.map((s) => s.responseMs ?? 0)) : undefined,
    smoke: servers.some((s) => s.smoke) ? servers.flatMap((s) => (s.smoke ?? []).map((r) => ({ ...r, name: `${s.server}: ${r.name}` }))) : undefined,
    haproxyCheck: servers.some((s) => s.haproxyCheck) ? servers.map((s) => `${s.server} ${s.haproxyCheck ?? '?'}`).join(', ') : undefined,
    pm2: pm2Of(servers),
    reported: servers.find((s) => s.reported)?.reported,
    claimsDisagree: servers.some((s) => s.claimsDisagree) ? servers.filter((s) => s.claimsDisagree).map((s) => `${s.server}: ${s.claimsDisagree}`).join('; ') : undefined,
  };
  const differences: string[] = [];
  for (const key of AGREED) {
    const { value, differs } = agreement(servers, key);
    if (value !== undefined) slot[key] = value;
    if (differs) differences.push(differs);
  }
  if (differences.length) slot.serversDisagree = `the servers differ in ${differences.join('; ')}`;
  return slot;
}

function pm2Of(servers: readonly ServerSnapshot[]): SlotSnapshot['pm2'] {
  const known = servers.filter((s) => s.pm2);
  if (!known.length) return undefined;
  const statuses = new Set(known.map((s) => s.pm2!.status));
  const status = statuses.size === 1 && known.length === servers.length ? [...statuses][0] : servers.map((s) => `${s.server} ${s.pm2?.status ?? '?'}`).join(', ');
  const restarts = known.every((s) => s.pm2!.restarts !== undefined) ? known.reduce((sum, s) => sum + s.pm2!.restarts!, 0) : undefined;
  return { status, restarts };
}
