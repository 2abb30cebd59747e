import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { BlueGreenError } from '../errors';
import { ConfigProblem, formatProblems } from './problems';
import { slotsWithServers, WrittenSlot } from './slotServers';
import { AppConfig, Config, SLOT_NAMES, SlotConfig, SlotName } from './types';
import { schema, validate as validateGenerated } from './validateConfig.generated';
import { DocPath, locate, positionOf } from './yamlPositions';


export class ConfigError extends BlueGreenError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super('config-invalid', formatProblems(file, problems));
  }
}

/** Compiled ahead of time from the schema editors use through yamlValidation (scripts/generate-validator.mjs). */
const validate = validateGenerated as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** More than this many alias expansions is an alias bomb, not a config. */
const MAX_ALIAS_EXPANSIONS = 100;

export async function loadConfigFile(file: string): Promise<Config> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BlueGreenError(
      'config-missing',
      code === 'ENOENT'
        ? `${absolute} does not exist. Create it (see the README's configuration reference) or pass --config FILE.`
        : `cannot read ${absolute}: ${(e as Error).message}`,
    );
  }
  return parseConfig(text, absolute);
}

export function parseConfig(text: string, file: string): Config {
  const lines = new LineCounter();
  // Merge keys (`<<: *lb`): a pair of load balancers written once, and the second's differences.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true, merge: true });
  const syntax = doc.errors.map((e) => {
    const at = lines.linePos(e.pos[0]);
    return { ...at, message: yamlMessage(e.code, e.message) };
  });
  if (syntax.length) throw new ConfigError(file, syntax);
  if (doc.contents === null) throw new ConfigError(file, [{ line: 1, col: 1, message: 'the file is empty; it starts with `version: 1` and an `apps:` list' }]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (e) {
    throw new ConfigError(file, [{ line: 1, col: 1, message: `too many alias expansions (over ${MAX_ALIAS_EXPANSIONS}); write the values out: ${(e as Error).message}` }]);
  }

  const at = (p: DocPath, wantKey = false) => positionOf(locate(doc.contents, p, wantKey), lines);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).filter(isUseful).map((err) => describe(err, at, data));
    throw new ConfigError(file, dedupe(problems));
  }

  const config = data as Omit<Config, 'file'>;
  // Each app carries the named hosts, so a workflow needs only its AppConfig.
  if (config.hosts) for (const app of config.apps) app.hosts = config.hosts;
  const shapes = config.apps.flatMap((app, i) => {
    const written = app.slots as unknown as Record<SlotName, WrittenSlot>;
    const { slots, problems } = slotsWithServers(written, i, at);
    for (const s of SLOT_NAMES) if (written[s].servers) LISTED.add(slots[s]);
    app.slots = slots;
    return [...problems, ...loadBalancerList(app, i, at)];
  });
  if (shapes.length) throw new ConfigError(file, shapes);
  const semantic = crossChecks(config.apps, at);
  if (semantic.length) throw new ConfigError(file, semantic);

  const dir = path.dirname(file);
  const local = (p?: string) => (p === undefined ? undefined : path.resolve(dir, p.replace(/^~(?=$|\/)/, os.homedir())));
  for (const app of config.apps) if (app.folder !== undefined) app.folder = local(app.folder);
  return {
    ...config,
    file,
    ssh: {
      ...config.ssh,
      config: local(config.ssh?.config),
      knownHosts: local(config.ssh?.knownHosts),
    },
  };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `${first}: each key may appear once in a mapping; remove or rename the repeated one`;
    case 'TAB_AS_INDENT':
      return `${first}: indent with spaces, not tabs`;
    default:
      return first;
  }
}

/** `if`/`then` wrappers and `$ref` hops repeat the real error; keep only leaf errors. */
function isUseful(err: ErrorObject): boolean {
  return err.keyword !== 'if';
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.col}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(p: readonly (string | number)[]): string {
  return p.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || 'the top level';
}

type Locator = (p: DocPath, wantKey?: boolean) => { line: number; col: number };

type SchemaNode = { $ref?: string; description?: string; pattern?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; additionalProperties?: SchemaNode | boolean };

function resolveRef(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const steps = node.$ref.replace(/^#\//, '').split('/');
  return steps.reduce<unknown>((n, step) => (n as Record<string, unknown> | undefined)?.[step], schema) as SchemaNode | undefined;
}

/**
 * The schema that describes the value at a data path, found by walking the schema along it
 * (the generated validator's own schema paths are relative to each $ref, so not usable here).
 */
function schemaAtInstance(p: readonly (string | number)[]): SchemaNode | undefined {
  let node = resolveRef(schema as SchemaNode);
  for (const step of p) {
    if (!node) return undefined;
    const next: SchemaNode | undefined = typeof step === 'number' ? node.items : node.properties?.[step] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    node = resolveRef(next);
  }
  return node;
}

function valueAt(data: unknown, p: readonly (string | number)[]): unknown {
  return p.reduce<unknown>((v, step) => (v as Record<string | number, unknown> | undefined)?.[step], data);
}

function describe(err: ErrorObject, at: Locator, data: unknown): ConfigProblem {
  const p = pathOf(err.instancePath);
  const where = dotted(p);
  const parent = schemaAtInstance(p);
  const value = valueAt(data, p);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const guess = closest(key, allowed);
      const hint = guess ? `did you mean "${guess}"? ` : '';
      return { ...at([...p, key], true), message: `unknown key "${key}" in ${where}; ${hint}allowed keys: ${allowed.join(', ')}` };
    }
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return { ...at(p), message: `${where} is missing "${missing}"` };
    }
    case 'type':
      return { ...at(p), message: `${where} must be ${article((err.params as { type: string }).type)}, not ${kindOf(value)}` };
    case 'pattern':
      return { ...at(p), message: `${where} ${JSON.stringify(value)} is not allowed. ${parent?.description ?? `It must match ${String((err.params as { pattern: string }).pattern)}`}` };
    case 'const':
      return { ...at(p), message: `${where} must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { ...at(p), message: `${where} must be one of: ${((err.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}` };
    // The generated validator carries no message texts (6 KB of the bundle): each is said here.
    case 'minimum':
    case 'maximum': {
      const { limit } = err.params as { limit: number };
      return { ...at(p), message: `${where} must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}, not ${JSON.stringify(value)}` };
    }
    case 'minItems':
      return { ...at(p), message: `${where} must list at least ${(err.params as { limit: number }).limit}` };
    case 'minLength':
      return { ...at(p), message: `${where} must not be empty` };
    default:
      return { ...at(p), message: `${where} does not satisfy "${err.keyword}" in the schema` };
  }
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : type === 'object' ? 'a mapping (key: value lines)' : type === 'array' ? 'a list (lines starting with "- ")' : `a ${type}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Rules that one JSON Schema cannot say: relations between values. */
function crossChecks(apps: readonly AppConfig[], at: Locator): ConfigProblem[] {
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
