import type { WrittenServers } from './slotServers';
import { AppConfig, ServerConfig, SlotName } from './types';
import type { DocPath } from './yamlPositions';

/** Where servers are listed: a slot, or the app's staging. */
export type ServersOf = SlotName | 'staging';

// Every slot is a list of servers once loaded; a problem's line is where the person wrote the
// value, so how each was written is remembered here.
const LISTED = new WeakSet<{ servers: ServerConfig[] }>();
const FROM_THE_SLOT = new WeakMap<ServerConfig, ReadonlySet<string>>();

export function rememberHowWritten(written: WrittenServers, loaded: { servers: ServerConfig[] }): void {
  if (!written.servers) return;
  LISTED.add(loaded);
  loaded.servers.forEach((server, k) => {
    const own = written.servers![k];
    FROM_THE_SLOT.set(server, new Set((['dir', 'pm2'] as const).filter((key) => own[key] === undefined)));
  });
}

/** The servers of a slot or of staging, as loaded. */
export function serversOf(app: AppConfig, of: ServersOf): { servers: ServerConfig[] } {
  return of === 'staging' ? app.staging! : app.slots[of];
}

/** Where a slot's (or staging's) server's `key` is written: on the slot for a one-server slot, or a dir or pm2 its servers share. */
export function serverPath(app: AppConfig, i: number, slot: ServersOf, k: number, key: string): DocPath {
  const owner = serversOf(app, slot);
  const server = owner.servers[k];
  const base = slot === 'staging' ? ['apps', i, 'staging'] : ['apps', i, 'slots', slot];
  if (!LISTED.has(owner) || FROM_THE_SLOT.get(server)?.has(key)) return [...base, key];
  return [...base, 'servers', k, key];
}

/** A path as a person reads it: `apps[0].slots.blue.dir`. */
export function pathText(p: DocPath): string {
  return p.map((step, n) => (typeof step === 'number' ? `[${step}]` : n === 0 ? step : `.${step}`)).join('');
}
