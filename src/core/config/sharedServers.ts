import * as path from 'node:path';
import { ConfigProblem } from './problems';
import { pathText, serverPath } from './serverPath';
import { AppConfig, SLOT_NAMES, ServerConfig, SlotName } from './types';
import { Locator } from './yamlPositions';

/** One server of one slot of one app. */
interface Placed {
  app: AppConfig;
  i: number;
  slot: SlotName;
  k: number;
  server: ServerConfig;
}

/** What a deploy, a restart and a health check of a slot reach on its servers. */
type Reached = 'dir' | 'pm2' | 'url';
const REACHED: readonly Reached[] = ['dir', 'pm2', 'url'];

/**
 * A deploy to a slot must reach that slot only. So no server of any slot, of this app or of
 * another, may be another slot's checkout (the same ssh and dir), pm2 process (the same ssh
 * and name) or address. Servers of one slot are deployed together, so only their urls must
 * differ. Compared as loaded, after any merge key (`<<: *shop`) copied values in.
 */
export function sharedServerProblems(apps: readonly AppConfig[], at: Locator): ConfigProblem[] {
  const placed = apps.flatMap((app, i) => SLOT_NAMES.flatMap((slot) => app.slots[slot].servers.map((server, k): Placed => ({ app, i, slot, k, server }))));
  const seen = new Map<string, Placed[]>();
  const problems: ConfigProblem[] = [];
  for (const second of placed) {
    for (const what of REACHED) {
      const key = `${what}\0${sameness(what, second.server)}`;
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
function sameness(what: Reached, s: ServerConfig): string {
  // /opt/app, /opt/app/, /opt//app and /opt/x/../app are one checkout.
  if (what === 'dir') return `${s.ssh}\0${path.posix.normalize(`${s.dir}/`)}`;
  if (what === 'pm2') return `${s.ssh}\0${s.pm2}`;
  return normalUrl(s.url);
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

function message(what: Reached, first: Placed, second: Placed, at: Locator): string {
  const place = placeOf(first, what, at);
  const { server: a } = first;
  const { server: b } = second;
  if (sameSlot(first, second)) return `slots.${second.slot}.servers[${second.k}] has the url of servers[${first.k}] (${a.url}, ${place}); each server needs its own address`;
  if (first.i === second.i) {
    const several = first.app.slots.blue.servers.length > 1 || first.app.slots.green.servers.length > 1;
    const named = several ? ` (${first.slot}'s server "${a.name}" and ${second.slot}'s "${b.name}")` : '';
    const shared = { dir: `${a.ssh}:${a.dir}`, pm2: `the pm2 process "${a.pm2}" on ${a.ssh}`, url: `the url ${a.url}` }[what];
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
      return `${text} is the checkout of app ${theirs} (${place}): both are ${b.ssh}:${shownDir(b.dir)}. A deploy of ${mine} would rebuild ${theirs}, which may be LIVE; give each app its own dir or host`;
    case 'pm2':
      return `${text} is the pm2 process of app ${theirs} (${place}): both are "${b.pm2}" on ${b.ssh}. A deploy of ${mine} would restart ${theirs}, which may be LIVE; give each app its own pm2 name`;
    case 'url':
      return `${text} is the address of app ${theirs} (${place}): both are ${normalUrl(b.url)}. Health checks of ${mine} would be answered by ${theirs}; give each app its own url`;
  }
}

function shownDir(dir: string): string {
  return path.posix.normalize(`${dir}/`).replace(/(.)\/$/, '$1');
}
