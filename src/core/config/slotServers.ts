import { ConfigProblem } from './problems';
import { HealthConfig, HostConfig, ServerConfig, SLOT_NAMES, SlotConfig, SlotName, SmokeCheck, StagingConfig } from './types';
import type { DocPath, Locator } from './yamlPositions';

type WrittenServer = HostConfig & { name?: string; url: string; dir?: string; pm2?: string };

/** A slot (or staging) as written: its one host on itself, or several under `servers:`. */
export interface WrittenServers extends Partial<HostConfig> {
  name?: string;
  url?: string;
  dir?: string;
  pm2?: string;
  servers?: WrittenServer[];
}

export interface WrittenSlot extends WrittenServers {
  backend: string;
  branch?: string;
  minHealthy?: number;
}

export interface WrittenStaging extends WrittenServers {
  branch: string;
  required?: boolean;
  health?: Partial<Omit<HealthConfig, 'from'>>;
  smoke?: SmokeCheck[];
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
    const servers = serverList(w, where, `slots.${name}`, 'slot', at, problems);
    const minHealthy = w.minHealthy ?? servers.length;
    if (minHealthy > servers.length) problems.push({ ...at([...where, 'minHealthy']), message: `slots.${name}.minHealthy is ${minHealthy}, but the slot has ${servers.length} server(s)` });
    slots[name] = { backend: w.backend, branch: w.branch, servers, minHealthy };
  }
  return { slots, problems };
}

/** An app's `staging:` as loaded: its servers as a slot's, its health and smoke the app's unless it names its own. */
export function stagingWithServers(w: WrittenStaging, appIndex: number, app: { health: HealthConfig; smoke: SmokeCheck[] }, at: Locator): { staging: StagingConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const servers = serverList(w, ['apps', appIndex, 'staging'], 'staging', 'staging', at, problems);
  // Staging is not behind the load balancer: its health is asked on its own server, whatever the app's `from`.
  const health: HealthConfig = { ...app.health, ...w.health, from: 'slot' };
  return { staging: { branch: w.branch, required: w.required === true, servers, health, smoke: w.smoke ?? app.smoke }, problems };
}

/** The servers of a slot or of staging (`what` as a problem names it), each with its own dir and pm2 or the shared ones. */
function serverList(w: WrittenServers, where: DocPath, what: string, kind: string, at: Locator, problems: ConfigProblem[]): ServerConfig[] {
  if (w.servers) {
    for (const key of ['ssh', 'via', 'url', 'name'] as const) {
      if (w[key] !== undefined) problems.push({ ...at([...where, key], true), message: `${what} lists servers:, so "${key}" belongs to each server, not to the ${kind}; move it into the servers' entries` });
    }
  }
  const listed = w.servers ?? [{ name: w.name, ssh: w.ssh!, via: w.via, url: w.url! }];
  const servers = listed.map((s, i) => {
    const dir = s.dir ?? w.dir;
    const pm2 = s.pm2 ?? w.pm2;
    for (const [key, value] of [['dir', dir], ['pm2', pm2]] as const) {
      if (value === undefined) problems.push({ ...at([...where, 'servers', i]), message: `${what}.servers[${i}] (${s.name ?? s.ssh}) has no "${key}": set it on the server or once on the ${kind}` });
    }
    return { name: s.name ?? s.ssh, ssh: s.ssh, via: s.via, url: s.url, dir: dir ?? '', pm2: pm2 ?? '' };
  });
  const names = new Map<string, number>();
  servers.forEach((s, i) => {
    const first = names.get(s.name);
    if (first === undefined) return void names.set(s.name, i);
    problems.push({ ...at([...where, 'servers', i]), message: `${what}.servers[${i}] and servers[${first}] are both called "${s.name}"; give them distinct name: values` });
  });
  return servers;
}
