import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { BlueGreenError } from '../errors';
import { crossChecks, listShapes } from './crossChecks';
import { notifyOfApps, notifyProblems } from './notify';
import { ConfigProblem, formatProblems } from './problems';
import { schemaProblems } from './schemaProblems';
import { Config } from './types';
import { DocPath, locate, positionOf } from './yamlPositions';

export class ConfigError extends BlueGreenError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super('config-invalid', formatProblems(file, problems));
  }
}

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

  const at = (p: DocPath, wantKey = false) => positionOf(locate(doc, p, wantKey), lines);
  const invalid = schemaProblems(data, at);
  if (invalid) throw new ConfigError(file, invalid);

  const config = data as Omit<Config, 'file'>;
  // Each app carries the named hosts, so a workflow needs only its AppConfig.
  if (config.hosts) for (const app of config.apps) app.hosts = config.hosts;
  const dir = path.dirname(file);
  const local = (p?: string) => (p === undefined ? undefined : path.resolve(dir, p.replace(/^~(?=$|\/)/, os.homedir())));
  const shapes = listShapes(config.apps, at);
  if (shapes.length) throw new ConfigError(file, shapes);
  const semantic = [...crossChecks(config.apps, at, local(config.ssh?.config)), ...notifyProblems(config.notify, config.apps, at)];
  if (semantic.length) throw new ConfigError(file, semantic);
  notifyOfApps(config.notify, config.apps);

  for (const app of config.apps) if (app.folder !== undefined) app.folder = local(app.folder);
  const sha256 = createHash('sha256').update(text).digest('hex');
  for (const app of config.apps) app.source = { file, sha256 };
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
