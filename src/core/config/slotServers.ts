import { ConfigProblem } from './problems';
import { HostConfig, SLOT_NAMES, SlotConfig, SlotName } from './types';
import type { Locator } from './yamlPositions';

/** A slot as written: its one host on the slot itself, or several under `servers:`. */
export interface WrittenSlot extends Partial<HostConfig> {
  backend: string;
  branch?: string;
  url?: string;
  dir?: string;
  pm2?: string;
  servers?: (HostConfig & { name?: string; url: string; dir?: string; pm2?: string })[];
  minHealthy?: number;
}

/**
 * Every slot as a list of servers, whichever way it was written, each with its dir and pm2
 * (its own, else the slot's). The schema already required ssh, url, dir and pm2 of a slot
 * without `servers:`; what it cannot say is checked here.
 */
export function slotsWithServers(written: Record<SlotName, WrittenSlot>, appIndex: number, at: Locator): { slots: Record<SlotName, SlotConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const slots = {} as Record<SlotName, SlotConfig>;
  for (const name of SLOT_NAMES) {
    const w = written[name];
    const where = ['apps', appIndex, 'slots', name];
    if (w.servers) {
      for (const key of ['ssh', 'via', 'url'] as const) {
        if (w[key] !== undefined) problems.push({ ...at([...where, key], true), message: `slots.${name} lists servers:, so "${key}" belongs to each server, not to the slot; move it into the servers' entries` });
      }
    }
    const listed = w.servers ?? [{ ssh: w.ssh!, via: w.via, url: w.url! }];
    const servers = listed.map((s, i) => {
      const dir = s.dir ?? w.dir;
      const pm2 = s.pm2 ?? w.pm2;
      for (const [key, value] of [['dir', dir], ['pm2', pm2]] as const) {
        if (value === undefined) problems.push({ ...at([...where, 'servers', i]), message: `slots.${name}.servers[${i}] (${s.name ?? s.ssh}) has no "${key}": set it on the server or once on the slot` });
      }
      return { name: s.name ?? s.ssh, ssh: s.ssh, via: s.via, url: s.url, dir: dir ?? '', pm2: pm2 ?? '' };
    });
    const names = new Map<string, number>();
    servers.forEach((s, i) => {
      const first = names.get(s.name);
      if (first === undefined) return void names.set(s.name, i);
      problems.push({ ...at([...where, 'servers', i]), message: `slots.${name}.servers[${i}] and servers[${first}] are both called "${s.name}"; give them distinct name: values` });
    });
    const minHealthy = w.minHealthy ?? servers.length;
    if (minHealthy > servers.length) problems.push({ ...at([...where, 'minHealthy']), message: `slots.${name}.minHealthy is ${minHealthy}, but the slot has ${servers.length} server(s)` });
    slots[name] = { backend: w.backend, branch: w.branch, servers, minHealthy };
  }
  return { slots, problems };
}
