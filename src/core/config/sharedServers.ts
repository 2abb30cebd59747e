import * as path from 'node:path';
import { machineOf, parseHostSpec, resolveHost } from '../ssh/sshConfig';
import { ConfigProblem } from './problems';
import { pathText, serverPath, ServersOf, serversOf } from './serverPath';
import { AppConfig, SLOT_NAMES, ServerConfig } from './types';
import { Locator } from './yamlPositions';

/** One server of one slot (or of the staging) of one app, and where its ssh reaches. */
interface Placed {
  app: AppConfig;
  i: number;
  slot: ServersOf;
  k: number;
  server: ServerConfig;
  reach: Reach;
}

/** The machine a server's ssh reaches ("10.0.0.1:22"), and the user it logs in as there. */
interface Reach {
  machine: string;
  user: string;
}

/** What a deploy, a restart and a health check of a slot reach on its servers. */
type Reached = 'dir' | 'pm2' | 'url';
const REACHED: readonly Reached[] = ['dir', 'pm2', 'url'];

/**
 * A deploy to a slot must reach that slot only, and a deploy to staging staging only. So no
 * server of any slot or staging, of this app or of another, may be another one's checkout (the same machine and dir), pm2 process (the same
 * machine, user and name) or address. Servers of one slot are deployed together, so only their
 * urls must differ. Compared as loaded, after any merge key (`<<: *shop`) copied values in; the
 * machine as ssh_config resolves each ssh (`sshConfigFile`, else the user's own), `via` aside.
 */
export function sharedServerProblems(apps: readonly AppConfig[], at: Locator, sshConfigFile?: string): ConfigProblem[] {
  const reaches = new Map<string, Reach>();
  const reachOf = (ssh: string) => reaches.get(ssh) ?? reaches.set(ssh, reach(ssh, sshConfigFile)).get(ssh)!;
  const placed = apps.flatMap((app, i) => [...SLOT_NAMES, ...(app.staging ? (['staging'] as const) : [])].flatMap((slot) => serversOf(app, slot).servers.map((server, k): Placed => ({ app, i, slot, k, server, reach: reachOf(server.ssh) }))));
  const seen = new Map<string, Placed[]>();
  const problems: ConfigProblem[] = [];
  for (const second of placed) {
    for (const what of REACHED) {
      const key = `${what}\0${sameness(what, second)}`;
      const earlier = seen.get(key) ?? [];
      seen.set(key, [...earlier, second]);
      for (const first of firstOfEachSlot(earlier)) {
        if (sameSlot(first, second) && what !== 'url') continue;
        problems.push({ ...at(where(second, what)), message: message(what, first, second, at) });
      }
    }
  }
  return problems;
}

/** What is equal when two servers reach the same thing, however each was written. */
function sameness(what: Reached, { server: s, reach: r }: Placed): string {
  // /opt/app, /opt/app/, /opt//app and /opt/x/../app are one checkout.
  if (what === 'dir') return `${r.machine}\0${path.posix.normalize(`${s.dir}/`)}`;
  // Each user has a pm2 of its own (~/.pm2): deploy's "web" and root's "web" are two processes.
  if (what === 'pm2') return `${r.machine}\0${r.user}\0${s.pm2}`;
  return normalUrl(s.url);
}

/**
 * Where an ssh reaches: host (any case) and port (22 unless written), the user aside, an alias
 * resolved to its HostName and Port. When the ssh_config cannot be read, or the ssh is no host
 * (its own problem), it is compared as written: the deploy's own check resolves it again.
 */
function reach(ssh: string, sshConfigFile: string | undefined): Reach {
  try {
    const host = resolveHost(ssh, sshConfigFile);
    return { machine: machineOf(host), user: host.user };
  } catch {
    try {
      const { host, port, user } = parseHostSpec(ssh);
      return { machine: machineOf({ hostname: host, port: port ?? 22 }), user: user ?? '' };
    } catch {
      return { machine: ssh, user: '' };
    }
  }
}

/** http://h:80/, http://h and http://user@h are one address. One `new URL()` refuses is reported on its own. */
function normalUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/** One problem per other slot, not per server of it. */
function firstOfEachSlot(earlier: Placed[]): Placed[] {
  return earlier.filter((p, n) => earlier.findIndex((q) => sameSlot(p, q)) === n);
}

function sameSlot(a: Placed, b: Placed): boolean {
  return a.i === b.i && a.slot === b.slot;
}

function where(p: Placed, what: Reached) {
  return serverPath(p.app, p.i, p.slot, p.k, what);
}

/** The first place, for the message of the problem reported at the second. */
function placeOf(p: Placed, what: Reached, at: Locator): string {
  const { line, col } = at(where(p, what));
  return `${pathText(where(p, what))} at line ${line}:${col}`;
}

/** The host both are on: as written when written alike, else both and the machine they are. */
function onOneMachine(first: Placed, second: Placed): string {
  const [a, b] = [first.server.ssh, second.server.ssh];
  return a === b ? a : `${a} and ${b}, one machine (${second.reach.machine})`;
}

/** A checkout: `jwa:/opt/demo` when both write the host alike. */
function checkout(first: Placed, second: Placed, dir: string): string {
  return first.server.ssh === second.server.ssh ? `${first.server.ssh}:${dir}` : `${dir} on ${onOneMachine(first, second)}`;
}

function message(what: Reached, first: Placed, second: Placed, at: Locator): string {
  const place = placeOf(first, what, at);
  const { server: a } = first;
  const { server: b } = second;
  if (first.slot === 'staging' || second.slot === 'staging') return stagingMessage(what, first, second, place);
  if (sameSlot(first, second)) return `slots.${second.slot}.servers[${second.k}] has the url of servers[${first.k}] (${a.url}, ${place}); each server needs its own address`;
  if (first.i === second.i) {
    const several = first.app.slots.blue.servers.length > 1 || first.app.slots.green.servers.length > 1;
    const named = several ? ` (${first.slot}'s server "${a.name}" and ${second.slot}'s "${b.name}")` : '';
    const shared = { dir: checkout(first, second, a.dir), pm2: `the pm2 process "${a.pm2}" on ${onOneMachine(first, second)}`, url: `the url ${a.url}` }[what];
    const harm = {
      dir: 'a deploy to STANDBY would change LIVE. Give each slot its own host or dir',
      pm2: 'a restart of STANDBY would restart LIVE. Give each slot its own pm2 name',
      url: 'health checks could not tell them apart. Give each slot its own url',
    }[what];
    return `${first.slot} and ${second.slot} share ${shared}${named}; ${first.slot}'s is ${place}, and ${harm}`;
  }
  const mine = `"${second.app.name}"`;
  const theirs = `"${first.app.name}"'s ${first.slot} slot`;
  const text = pathText(where(second, what));
  switch (what) {
    case 'dir':
      return `${text} is the checkout of app ${theirs} (${place}): both are ${checkout(first, second, shownDir(b.dir))}. A deploy of ${mine} would rebuild ${theirs}, which may be LIVE; give each app its own dir or host`;
    case 'pm2':
      return `${text} is the pm2 process of app ${theirs} (${place}): both are "${b.pm2}" on ${onOneMachine(first, second)}. A deploy of ${mine} would restart ${theirs}, which may be LIVE; give each app its own pm2 name`;
    case 'url':
      return `${text} is the address of app ${theirs} (${place}): both are ${normalUrl(b.url)}. Health checks of ${mine} would be answered by ${theirs}; give each app its own url`;
  }
}

/** A staging server that is a slot's (or another staging's) server: a deploy to staging would change that one. */
function stagingMessage(what: Reached, first: Placed, second: Placed, place: string): string {
  const name = (p: Placed) => `${first.i === second.i ? '' : `app "${p.app.name}"'s `}${p.slot === 'staging' ? 'staging' : `${p.slot} slot`}`;
  const [a, b] = [name(first), name(second)];
  if (sameSlot(first, second)) return `staging.servers[${second.k}] has the url of servers[${first.k}] (${first.server.url}, ${place}); each server needs its own address`;
  const shared = { dir: checkout(first, second, shownDir(second.server.dir)), pm2: `the pm2 process "${second.server.pm2}" on ${onOneMachine(first, second)}`, url: `the url ${normalUrl(second.server.url)}` }[what];
  const harm = {
    dir: 'a deploy to one would rebuild the other, which may be LIVE. Give staging its own host or dir',
    pm2: 'a deploy to one would restart the other, which may be LIVE. Give staging its own pm2 name',
    url: 'health checks could not tell them apart. Give staging its own url',
  }[what];
  return `${pathText(where(second, what))}: ${b} and ${a} share ${shared} (${a}'s is ${place}); ${harm}`;
}

function shownDir(dir: string): string {
  return path.posix.normalize(`${dir}/`).replace(/(.)\/$/, '$1');
}
