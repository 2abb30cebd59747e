import * as assert from 'node:assert/strict';
import { chatWorkflowFiles } from '../../src/core/agent/chatWorkflows';
import { withMcpServer } from '../../src/core/agent/mcpConfig';
import { isBlueGreenError } from '../../src/core/errors';

describe("an editor's MCP config file", () => {
  const entry = { command: '/usr/bin/node', args: ['/ext/dist/cli.js', 'mcp', '--config', '/w/bluegreen.yaml'], env: { ELECTRON_RUN_AS_NODE: '1' } };

  it('gets the server added, every other server and field kept', () => {
    const before = JSON.stringify({ mcpServers: { github: { command: 'gh-mcp', args: [] } }, theme: 'dark' });
    const r = withMcpServer(before, 'mcp_config.json', 'bluegreen', entry);
    assert.equal(r.changed, true);
    assert.deepEqual(JSON.parse(r.text), { mcpServers: { github: { command: 'gh-mcp', args: [] }, bluegreen: entry }, theme: 'dark' });
  });

  it('is created when missing or empty, and reports no change when the entry is already there', () => {
    const created = withMcpServer(undefined, 'f', 'bluegreen', entry);
    assert.deepEqual(JSON.parse(created.text), { mcpServers: { bluegreen: entry } });
    assert.deepEqual(JSON.parse(withMcpServer('  \n', 'f', 'bluegreen', entry).text), { mcpServers: { bluegreen: entry } });
    assert.equal(withMcpServer(created.text, 'f', 'bluegreen', entry).changed, false);
  });

  it('is refused, not rewritten, when it is not JSON or mcpServers is not an object', () => {
    for (const text of ['{"mcpServers": {', '[1]', '{"mcpServers": []}']) {
      assert.throws(() => withMcpServer(text, 'mcp_config.json', 'bluegreen', entry), (e: unknown) => isBlueGreenError(e, 'refused') && /mcp_config\.json/.test((e as Error).message), text);
    }
  });
});

describe('chat workflows', () => {
  it('has /bump, /release and /sync for each editor, in its own place and format, using the Blue-Green tools', () => {
    assert.deepEqual(chatWorkflowFiles('windsurf').map((f) => f.path), ['.windsurf/workflows/bump.md', '.windsurf/workflows/release.md', '.windsurf/workflows/sync.md']);
    assert.deepEqual(chatWorkflowFiles('cursor').map((f) => f.path), ['.cursor/commands/bump.md', '.cursor/commands/release.md', '.cursor/commands/sync.md']);
    assert.deepEqual(chatWorkflowFiles('vscode').map((f) => f.path), ['.github/prompts/bump.prompt.md', '.github/prompts/release.prompt.md', '.github/prompts/sync.prompt.md']);
    const release = chatWorkflowFiles('windsurf')[1].text;
    assert.match(release, /^---\ndescription: .+\n---\n\n1\. /);
    assert.match(release, /`switch_traffic`.*you cannot approve it for me/);
    // A refusal is answered from evidence: STANDBY's own log, read before anything is suggested.
    assert.match(release, /If STANDBY is not healthy, call the Blue-Green tool `get_logs` \(slot standby\).*suggest nothing before you have read them/);
    assert.match(release, /If a gate refuses the switch, call the Blue-Green tool `get_logs`/);
    assert.match(chatWorkflowFiles('vscode')[2].text, /^---\nmode: agent\n[\s\S]*#bluegreen_sync_standby[\s\S]*same version and commit/);
  });

  it('adds /staging-first when an app has a staging: develop → staging → promote → release, over the same tools, the switch only on my yes', () => {
    assert.deepEqual(chatWorkflowFiles('cursor', true).map((f) => f.path).at(-1), '.cursor/commands/staging-first.md');
    assert.deepEqual(chatWorkflowFiles('windsurf', true).map((f) => f.path).at(-1), '.windsurf/workflows/staging-first.md');
    const prompt = chatWorkflowFiles('vscode', true).at(-1)!;
    assert.equal(prompt.path, '.github/prompts/staging-first.prompt.md');
    const order = ['#bluegreen_get_deployment_status', '#bluegreen_deploy_to_staging', '#bluegreen_promote_to_standby', '#bluegreen_switch_traffic'].map((t) => prompt.text.indexOf(t));
    assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1])), `the tools out of order: ${order.join(', ')}`);
    assert.match(prompt.text, /Only if I say yes, call #bluegreen_switch_traffic/);
  });
});
