import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AGENT_TOOLS } from '../../src/core/agent/tools';

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
