import * as path from 'node:path';
import { ConfigProblem } from './problems';
import { slotsWithServers, WrittenSlot } from './slotServers';
import { AppConfig, SLOT_NAMES, SlotConfig, SlotName } from './types';
import { DocPath, Locator } from './yamlPositions';

/**
 * Every slot a list of servers and every app a list of load balancers, however each was
 * written, and what those lists must not have. How each was written is remembered here: a
 * later problem's line is where the person wrote the value.
 */
export function listShapes(apps: AppConfig[], at: Locator): ConfigProblem[] {
  return apps.flatMap((app, i) => {
    const written = app.slots as unknown as Record<SlotName, WrittenSlot>;
    const { slots, problems } = slotsWithServers(written, i, at);
    for (const s of SLOT_NAMES) if (written[s].servers) LISTED.add(slots[s]);
    app.slots = slots;
    return [...problems, ...loadBalancerList(app, i, at)];
  });
}

/** Rules that one JSON Schema cannot say: relations between values. */
export function crossChecks(apps: readonly AppConfig[], at: Locator): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Map<string, number>();
  apps.forEach((app, i) => {
    const first = names.get(app.name);
    if (first !== undefined) problems.push({ ...at(['apps', i, 'name']), message: `app name "${app.name}" is already used by apps[${first}]; names must be unique` });
    else names.set(app.name, i);

    problems.push(...addressProblems(app, i, at));
    problems.push(...slotOverlaps(app, i, at));
    for (const phase of ['backup', 'beforeMigrate'] as const) {
      (app.deploy.hooks?.[phase] ?? []).forEach((hook, j) => {
        if (hook.host === 'standby' || hook.host === 'lb' || app.hosts?.[hook.host]) return;
        problems.push({ ...at(['apps', i, 'deploy', 'hooks', phase, j, 'host']), message: `hook host "${hook.host}" is not defined; add it under the top-level "hosts:", or use standby or lb` });
      });
    }
  });
  problems.push(...sharedRoutingProblems(apps, at));
  return problems;
}

/**
 * The app's load balancers as one list, whichever way they were written, and what a list must
 * not have: an entry twice, or an entry without the address its own switch is verified at.
 */
function loadBalancerList(app: AppConfig, i: number, at: Locator): ConfigProblem[] {
  const written = app as Partial<Pick<AppConfig, 'loadBalancer' | 'loadBalancers'>>;
  if (written.loadBalancer && written.loadBalancers) {
    return [{ ...at(['apps', i, 'loadBalancers'], true), message: `apps[${i}] has both loadBalancer: and loadBalancers:; write one load balancer as loadBalancer:, or all of them as a list under loadBalancers:` }];
  }
  if (written.loadBalancers) LB_LISTED.add(app);
  app.loadBalancers = written.loadBalancers ?? [written.loadBalancer!];
  app.loadBalancer = app.loadBalancers[0];
  if (app.loadBalancers.length === 1) return [];
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  app.loadBalancers.forEach((lb, j) => {
    const key = `${lb.ssh}\0${lb.via ?? ''}\0${lb.config}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ ...at(['apps', i, 'loadBalancers', j, 'ssh']), message: `loadBalancers[${j}] is loadBalancers[${first}] again (${lb.ssh}, ${lb.config}); each entry is another HAProxy host: remove the repeated one or correct its ssh` });
    else seen.set(key, j);
    // Behind one floating address, the app's url reaches whichever LB holds it: each is checked at its own.
    if (!lb.frontendUrl) problems.push({ ...at(['apps', i, 'loadBalancers', j]), message: `loadBalancers[${j}] (${lb.ssh}) has no frontendUrl: with several load balancers, each switch is verified through that LB's own frontend, so each needs the address it answers at` });
    const sameUrl = app.loadBalancers.findIndex((other, k) => k < j && other.frontendUrl === lb.frontendUrl);
    // A merge key (<<: *lb) copies the first one's address unless the entry sets its own.
    if (lb.frontendUrl && sameUrl >= 0) problems.push({ ...at(['apps', i, 'loadBalancers', j]), message: `loadBalancers[${j}] (${lb.ssh}) has the frontendUrl of loadBalancers[${sameUrl}] (${lb.frontendUrl}): its switch would be checked through the other LB. Give it its own` });
  });
  return problems;
}

/** Where a slot's server is written: the slot itself for a one-server slot. */
function serverPath(app: AppConfig, i: number, slot: SlotName, k: number, key: string): DocPath {
  return app.slots[slot].servers.length === 1 && k === 0 && !writtenAsList(app, slot) ? ['apps', i, 'slots', slot, key] : ['apps', i, 'slots', slot, 'servers', k, key];
}

const LISTED = new WeakSet<SlotConfig>();
function writtenAsList(app: AppConfig, slot: SlotName): boolean {
  return LISTED.has(app.slots[slot]);
}

/**
 * A deploy to STANDBY must not touch LIVE: no server of one slot may be a server of the other
 * (the same host and checkout, or the same pm2 process, or the same address).
 */
function slotOverlaps(app: AppConfig, i: number, at: Locator): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const [blue, green] = SLOT_NAMES.map((s) => app.slots[s]);
  if (blue.backend === green.backend) problems.push({ ...at(['apps', i, 'slots', 'green', 'backend']), message: `blue and green both use backend "${blue.backend}"; each slot needs its own backend` });
  green.servers.forEach((g, k) => {
    for (const b of blue.servers) {
      const named = blue.servers.length > 1 || green.servers.length > 1 ? ` (blue's server "${b.name}" and green's "${g.name}")` : '';
      // Written differently, the same place: /opt/app and /opt/app/ are one checkout.
      const sameDir = path.posix.normalize(`${b.dir}/`) === path.posix.normalize(`${g.dir}/`);
      if (b.ssh === g.ssh && sameDir) problems.push({ ...at(serverPath(app, i, 'green', k, 'dir')), message: `blue and green share ${b.ssh}:${b.dir}${named}; a deploy to STANDBY would change LIVE. Give each slot its own host or dir` });
      if (b.ssh === g.ssh && b.pm2 === g.pm2) problems.push({ ...at(serverPath(app, i, 'green', k, 'pm2')), message: `blue and green share the pm2 process "${b.pm2}" on ${b.ssh}${named}; a restart of STANDBY would restart LIVE` });
      if (b.url === g.url) problems.push({ ...at(serverPath(app, i, 'green', k, 'url')), message: `blue and green share the url ${b.url}${named}; health checks could not tell them apart` });
    }
  });
  for (const slot of SLOT_NAMES) {
    const urls = new Map<string, number>();
    app.slots[slot].servers.forEach((s, k) => {
      const first = urls.get(s.url);
      if (first === undefined) return void urls.set(s.url, k);
      problems.push({ ...at(serverPath(app, i, slot, k, 'url')), message: `slots.${slot}.servers[${k}] has the url of servers[${first}] (${s.url}); each server needs its own address` });
    });
  }
  return problems;
}

/**
 * Two apps whose routing is the same rule of the same frontend on the same load balancer:
 * a release of one would switch the other.
 */
function sharedRoutingProblems(apps: readonly AppConfig[], at: Locator): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  apps.forEach((app, i) => {
    app.loadBalancers.forEach((lb, j) => {
      const key = `${lb.ssh}\0${lb.config}\0${lb.frontend}\0${lb.acl ?? ''}`;
      const first = seen.get(key);
      if (first === undefined) return void seen.set(key, i);
      if (first === i) return;
      const other = apps[first];
      const where = lbPath(app, i, j);
      problems.push(
        lb.acl
          ? { ...at([...where, 'acl']), message: `app "${app.name}" uses the ACL "${lb.acl}" that app "${other.name}" (apps[${first}]) uses in frontend "${lb.frontend}" on ${lb.ssh}: a release of one would switch the other. Give each app its own ACL` }
          : { ...at([...where, 'frontend']), message: `apps "${other.name}" (apps[${first}]) and "${app.name}" are both routed by the default_backend of frontend "${lb.frontend}" on ${lb.ssh}: a release of one would switch the other. Give each app an acl: of its own` },
      );
    });
  });
  return problems;
}

const LB_LISTED = new WeakSet<AppConfig>();
function lbPath(app: AppConfig, i: number, j: number): DocPath {
  return LB_LISTED.has(app) ? ['apps', i, 'loadBalancers', j] : ['apps', i, 'loadBalancer'];
}

/**
 * Values the schema's patterns accept but their use would reject: a URL that `new URL()`
 * refuses (`http://host:80810`), a port out of range. Found here, with their line, rather than
 * in the middle of a release.
 */
function addressProblems(app: AppConfig, i: number, at: Locator): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const servers = SLOT_NAMES.flatMap((s) => app.slots[s].servers.map((server, k) => ({ server, path: (key: string) => serverPath(app, i, s, k, key) })));
  const urls: [DocPath, string | undefined][] = [
    [['apps', i, 'url'], app.url],
    ...app.loadBalancers.map((lb, j): [DocPath, string | undefined] => [[...lbPath(app, i, j), 'frontendUrl'], lb.frontendUrl]),
    ...servers.map(({ server, path: p }): [DocPath, string] => [p('url'), server.url]),
  ];
  for (const [where, url] of urls) {
    if (url === undefined) continue;
    try {
      new URL(url);
    } catch {
      problems.push({ ...at(where), message: `${url} is not a URL a client can open (check the host and the port, 1 to 65535)` });
    }
  }
  const hosts: [DocPath, string][] = [...app.loadBalancers.map((lb, j): [DocPath, string] => [[...lbPath(app, i, j), 'ssh'], lb.ssh]), ...servers.map(({ server, path: p }): [DocPath, string] => [p('ssh'), server.ssh])];
  for (const [where, spec] of hosts) {
    const port = /:(\d+)$/.exec(spec)?.[1];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) problems.push({ ...at(where), message: `port ${port} in "${spec}" is out of range (1 to 65535)` });
  }
  return problems;
}
