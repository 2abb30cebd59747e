import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { withThrowawayHome } from './configProblems';

const ROOT = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const reference = readFileSync(path.join(ROOT, 'docs/config.md'), 'utf8');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/bluegreen.schema.json'), 'utf8')) as { properties: Record<string, unknown>; definitions: Record<string, { properties?: Record<string, unknown> }> };

/** The YAML blocks of the README's configuration section, in order. */
function configBlocks(): string[] {
  const section = readme.slice(readme.indexOf('## Configuration: `bluegreen.yaml`'));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe("the config reference and the README's examples", () => {
  withThrowawayHome();

  it('the minimal example is at most 15 lines and loads as it is', () => {
    const [minimal] = configBlocks();
    assert.ok(minimal.trim().split('\n').length <= 15, minimal);
    const config = parseConfig(minimal, '/work/bluegreen.yaml');
    assert.deepEqual(config.apps.map((a) => [a.name, a.slots.blue.servers[0].ssh, a.slots.green.servers[0].ssh]), [['shop', 'app1', 'app2']]);
  });

  it('docs/config.md lists every key of every mapping the schema defines', () => {
    const keys = [...Object.keys(schema.properties), ...Object.values(schema.definitions).flatMap((d) => Object.keys(d.properties ?? {}))];
    for (const key of new Set(keys)) assert.ok(reference.includes(`| \`${key}\``), `docs/config.md does not list ${key}`);
  });
});
