import type { WrittenSlot } from './slotServers';
import { AppConfig, ServerConfig, SlotConfig, SlotName } from './types';
import type { DocPath } from './yamlPositions';

// Every slot is a list of servers once loaded; a problem's line is where the person wrote the
// value, so how each was written is remembered here.
const LISTED = new WeakSet<SlotConfig>();
const FROM_THE_SLOT = new WeakMap<ServerConfig, ReadonlySet<string>>();

export function rememberHowWritten(written: WrittenSlot, slot: SlotConfig): void {
  if (!written.servers) return;
  LISTED.add(slot);
  slot.servers.forEach((server, k) => {
    const own = written.servers![k];
    FROM_THE_SLOT.set(server, new Set((['dir', 'pm2'] as const).filter((key) => own[key] === undefined)));
  });
}

/** Where a slot's server's `key` is written: on the slot for a one-server slot, or a dir or pm2 its servers share. */
export function serverPath(app: AppConfig, i: number, slot: SlotName, k: number, key: string): DocPath {
  const server = app.slots[slot].servers[k];
  if (!LISTED.has(app.slots[slot]) || FROM_THE_SLOT.get(server)?.has(key)) return ['apps', i, 'slots', slot, key];
  return ['apps', i, 'slots', slot, 'servers', k, key];
}

/** A path as a person reads it: `apps[0].slots.blue.dir`. */
export function pathText(p: DocPath): string {
  return p.map((step, n) => (typeof step === 'number' ? `[${step}]` : n === 0 ? step : `.${step}`)).join('');
}
