import { ConfigProblem } from './problems';
import { rememberHowWritten, serverPath, serversOf } from './serverPath';
import { sharedServerProblems } from './sharedServers';
import { slotsWithServers, stagingWithServers, WrittenSlot, WrittenStaging } from './slotServers';
import { AppConfig, SLOT_NAMES, SlotName } from './types';
import { DocPath, Locator } from './yamlPositions';

/**
 * Every slot a list of servers and every app a list of load balancers, however each was
 * written, and what those lists must not have. How each was written is remembered (the
 * slots' in serverPath.ts): a later problem's line is where the person wrote the value.
 */
export function listShapes(apps: AppConfig[], at: Locator): ConfigProblem[] {
  return apps.flatMap((app, i) => {
    const written = app.slots as unknown as Record<SlotName, WrittenSlot>;
    const { slots, problems } = slotsWithServers(written, i, at);
    for (const s of SLOT_NAMES) rememberHowWritten(written[s], slots[s]);
    app.slots = slots;
    const staging = app.staging ? stagingOf(app, i, at) : [];
    return [...problems, ...staging, ...loadBalancerList(app, i, at)];
  });
}

function stagingOf(app: AppConfig, i: number, at: Locator): ConfigProblem[] {
  const written = app.staging as unknown as WrittenStaging;
  const { staging, problems } = stagingWithServers(written, i, app, at);
  rememberHowWritten(written, staging);
  app.staging = staging;
  return problems;
}

/** Rules that one JSON Schema cannot say: relations between values (hosts as `sshConfigFile` resolves them). */
export function crossChecks(apps: readonly AppConfig[], at: Locator, sshConfigFile?: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const names = new Map<string, number>();
  apps.forEach((app, i) => {
    const first = names.get(app.name);
    if (first !== undefined) problems.push({ ...at(['apps', i, 'name']), message: `app name "${app.name}" is already used by apps[${first}]; names must be unique` });
    else names.set(app.name, i);

    problems.push(...addressProblems(app, i, at));
    if (app.slots.blue.backend === app.slots.green.backend) problems.push({ ...at(['apps', i, 'slots', 'green', 'backend']), message: `blue and green both use backend "${app.slots.blue.backend}"; each slot needs its own backend` });
    for (const phase of ['backup', 'beforeMigrate'] as const) {
      (app.deploy.hooks?.[phase] ?? []).forEach((hook, j) => {
        if (hook.host === 'standby' || hook.host === 'lb' || app.hosts?.[hook.host]) return;
        problems.push({ ...at(['apps', i, 'deploy', 'hooks', phase, j, 'host']), message: `hook host "${hook.host}" is not defined; add it under the top-level "hosts:", or use standby or lb` });
      });
    }
  });
  problems.push(...sharedServerProblems(apps, at, sshConfigFile));
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
  const servers = [...SLOT_NAMES, ...(app.staging ? (['staging'] as const) : [])].flatMap((s) => serversOf(app, s).servers.map((server, k) => ({ server, path: (key: string) => serverPath(app, i, s, k, key) })));
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
