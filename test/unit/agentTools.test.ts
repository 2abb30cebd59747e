import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { AGENT_TOOLS, AgentToolSpec } from '../../src/core/agent/tools';
import { checkAgentArgs } from '../../src/core/agent/validate';

interface LmTool {
  name: string;
  modelDescription: string;
  inputSchema: unknown;
}

describe('agent tools', () => {
  it('package.json declares every agent tool as a language-model tool, with the same schema and description', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { languageModelTools: LmTool[] } };
    const declared = pkg.contributes.languageModelTools;
    assert.deepEqual(
      declared.map((t) => t.name),
      AGENT_TOOLS.map((t) => `bluegreen_${t.name}`),
    );
    for (const spec of AGENT_TOOLS) {
      const tool = declared.find((t) => t.name === `bluegreen_${spec.name}`)!;
      assert.deepEqual(tool.inputSchema, spec.inputSchema, spec.name);
      assert.equal(tool.modelDescription, spec.description, spec.name);
    }
  });

  it('no tool takes an argument that could approve: requireApproval is documented as changing nothing', () => {
    const props = AGENT_TOOLS.flatMap((t) => Object.keys(t.inputSchema.properties));
    for (const name of props) assert.doesNotMatch(name, /^(approve|approved|confirm|confirmed|yes|token|code)$/i);
    const requireApproval = AGENT_TOOLS.find((t) => t.name === 'switch_traffic')!.inputSchema.properties.requireApproval as { description: string };
    assert.match(requireApproval.description, /a person approves every switch/);
  });
});

describe("the agent tools' argument check", () => {
  // What the MCP server's Ajv said before the check moved into the core, as the server worded it.
  const ajv = new Ajv({ allErrors: true, useDefaults: true });
  const ajvSays = (spec: AgentToolSpec, input: Record<string, unknown>) => {
    const check = ajv.compile(spec.inputSchema);
    const args = { ...input };
    if (check(args)) return { ok: true, args };
    const problems = (check.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'arguments'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
    return { ok: false, problems: problems.sort() };
  };
  const coreSays = (spec: AgentToolSpec, input: Record<string, unknown>) => {
    const r = checkAgentArgs(spec, input);
    return r.ok ? r : { ok: false, problems: [...r.problems].sort() };
  };
  const VALUES: unknown[] = [undefined, '', 'standby', 'lb', '15m', '2026-12-05T07:00', 50, 200, 201, -1, 2.5, 1e9, 'demo', 'Demo', 'demo-2_b', '-x', 'a..b', 'v1.2.3', 'feature/x', 'main; rm -rf /', 'demo\n', 'a'.repeat(200), 'a'.repeat(201), '\u{1F600}'.repeat(300), 'x'.repeat(501), 'patch', 'minor', 'major', 'huge', true, false, 0, 1, null, [], {}, ['patch']];

  it('says what Ajv says, with the same defaults, for every property of every tool and each odd value', () => {
    let compared = 0;
    for (const spec of AGENT_TOOLS) {
      const base: Record<string, unknown> = spec.inputSchema.required?.includes('level') ? { level: 'patch' } : {};
      for (const name of [...Object.keys(spec.inputSchema.properties), 'extra', 'approve']) {
        for (const value of VALUES) {
          const input = value === undefined ? { ...base } : { ...base, [name]: value };
          assert.deepEqual(coreSays(spec, input), ajvSays(spec, input), `${spec.name} ${name}=${JSON.stringify(value)}`);
          compared++;
        }
      }
      assert.deepEqual(coreSays(spec, {}), ajvSays(spec, {}), spec.name);
    }
    assert.ok(compared > 500);
  });

  it('fails a call when a schema uses a keyword it does not check, rather than skipping it', () => {
    const spec = { ...AGENT_TOOLS[0], inputSchema: { type: 'object' as const, properties: { app: { type: 'string', minLength: 3 } }, additionalProperties: false as const } };
    assert.deepEqual(checkAgentArgs(spec, { app: 'x' }), { ok: false, problems: ['app cannot be checked (minLength is not known here)'] });
  });
});
