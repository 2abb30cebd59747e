// VS Code's own MCP client driving `bluegreen mcp`, as an agent in VS Code reaches it: through
// the server-definition provider, with no configuration. Loaded only in the current code-server
// (VS Code 1.103): 1.100 has no provider API, so there is nothing there to test.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AGENT_TOOLS } from '../../src/core/agent/tools';
import { approvalEndpoint } from '../../src/core/approval/socket';
import { api, until } from './extensionHost';

// VS Code names a provider's server `<extension id, lower case>/<definition label>`, and prefixes
// its tools with `mcp_` + the label (lower case, other characters as `_`, 13 at most) + `_`.
const SERVER_ID = 'bluegreen.blue-green/Blue-Green';
const TOOL_PREFIX = 'mcp_blue-green_';

interface LmTool {
  name: string;
  tags: readonly string[];
}
interface Lm {
  tools: readonly LmTool[];
  invokeTool(name: string, options: { input: object; toolInvocationToken: undefined }, token?: vscode.CancellationToken): Thenable<{ content: { value?: unknown }[] }>;
}
const lm = () => (vscode as unknown as { lm: Lm }).lm;
const text = (result: { content: { value?: unknown }[] }) => result.content.map((p) => (typeof p.value === 'string' ? p.value : '')).join('\n');



/** The MCP servers this extension host runs: VS Code spawns a provider's stdio server here. */
function mcpChildren(): string[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-ww', '-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when this process has no children
  }
  return out.split('\n').filter((l) => /dist\/cli\.js mcp /.test(l));
}

const ourTools = () => lm().tools.filter((t) => t.name.startsWith(TOOL_PREFIX));
const haproxyCfg = () => readFileSync(path.join(process.env.BLUEGREEN_LAB_DIR!, 'hosts', 'lb', 'haproxy.cfg'), 'utf8');

/** Tells the runner (which drives the page) how the person answers the next elicitation. */
function answerNext(answer: 'dismiss' | 'decline' | 'accept'): void {
  const file = process.env.BLUEGREEN_ELICITATION_ANSWER_FILE;
  assert.ok(file, 'BLUEGREEN_ELICITATION_ANSWER_FILE is not set for the extension host');
  writeFileSync(file, answer);
}

/** A tool call watched as it runs: pending() until it settles, text() its result (within 90 s). */
function settling(call: Thenable<{ content: { value?: unknown }[] }>) {
  let settled = false;
  const done = Promise.resolve(call).finally(() => (settled = true));
  done.catch(() => undefined);
  return {
    pending: () => !settled,
    text: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('switch_traffic did not settle within 90 s')), 90_000)));
      try {
        return text(await Promise.race([done, late]));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Runs body with this window's approval socket hidden (renamed; it still listens), so that
 * bluegreen mcp cannot ask the extension: its only way to a person is the client's elicitation.
 * VS Code's own confirmation for a tool that is not read-only is a dialog, which the workbench
 * answers yes to by itself in test mode: only the elicitation stands between a call and a switch.
 */
async function withoutApprovalSocket<T>(configFile: string, body: () => Promise<T>): Promise<T> {
  const endpoint = approvalEndpoint(configFile);
  const sockets = readdirSync(endpoint.dir).filter((n) => n.startsWith(`${endpoint.prefix}-`));
  assert.ok(sockets.length > 0, `no approval socket in ${endpoint.dir}`);
  const hidden = sockets.map((n) => [path.join(endpoint.dir, n), path.join(endpoint.dir, `hidden-${n}`)] as const);
  for (const [from, to] of hidden) renameSync(from, to);
  try {
    return await body();
  } finally {
    for (const [from, to] of hidden) renameSync(to, from);
  }
}

describe("VS Code's own MCP client (VS Code 1.101+: the server-definition provider)", () => {
  it("starts the provider's server by its id and discovers every tool of bluegreen mcp by name", async function () {
    this.timeout(60_000);
    const { model } = await api();
    await until('the config', () => model.config);
    assert.deepEqual(ourTools().map((t) => t.name), [], 'tools before the server ever ran (a cache from an earlier run?)');
    // VS Code's command finds the server among those it knows, by the id it gave the provider's
    // definition, and does nothing when there is no such server: the tools below show it was found.
    await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID);
    const tools = await until(`${AGENT_TOOLS.length} tools named ${TOOL_PREFIX}*`, () => (ourTools().length >= AGENT_TOOLS.length ? ourTools() : undefined));
    assert.deepEqual(tools.map((t) => t.name).sort(), AGENT_TOOLS.map((t) => TOOL_PREFIX + t.name).sort());
    for (const t of tools) assert.deepEqual(t.tags, ['mcp'], t.name);
    const running = mcpChildren();
    assert.equal(running.length, 1, `bluegreen mcp processes under this extension host: ${running.join(' | ') || 'none'}`);
    assert.ok(running[0].endsWith(`mcp --config ${model.config!.file}`), running[0]);
  });

  it("a read-only tool called through VS Code's MCP client returns the status", async function () {
    this.timeout(60_000);
    const { model } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = (await until('a snapshot', () => model.snapshot)).apps[0].live!;
    // Read-only (readOnlyHint): VS Code calls it without asking.
    const status = await lm().invokeTool(`${TOOL_PREFIX}get_deployment_status`, { input: {}, toolInvocationToken: undefined });
    assert.match(text(status), new RegExp(`^demo: LIVE is ${live.toUpperCase()} v`));
    // The Snapshot as JSON follows the sentences, as for every MCP client.
    assert.match(text(status), /"live": "(blue|green)"/);
  });

  it("switch_traffic with the extension's approval socket closed reaches VS Code's elicitation; dismissing it switches nothing", async function () {
    this.timeout(120_000);
    const { model } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = (await until('a snapshot', () => model.snapshot)).apps[0].live!;
    const before = haproxyCfg();
    const said = await withoutApprovalSocket(model.config!.file, async () => {
      answerNext('dismiss');
      const call = settling(lm().invokeTool(`${TOOL_PREFIX}switch_traffic`, { input: {}, toolInvocationToken: undefined }));
      // Outside a chat VS Code shows the elicitation as a notification (Respond / Cancel); the
      // extension host cannot see it, but closing it answers the server with "cancel". A refusal
      // without an elicitation would settle the call at once, saying nobody could be asked. The
      // wait also gives the runner, which watches the page, time for its screenshot.
      await new Promise((r) => setTimeout(r, 5000));
      assert.ok(call.pending(), 'switch_traffic settled without waiting for a person');
      for (const deadline = Date.now() + 90_000; call.pending() && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 500));
        await vscode.commands.executeCommand('notifications.clearAll');
      }
      return call.text();
    });
    assert.doesNotMatch(said, /nobody could be asked/);
    assert.match(said, /not confirmed; nothing was changed/, said);
    assert.equal(haproxyCfg(), before, 'haproxy.cfg changed');
    await vscode.commands.executeCommand('bluegreen.refresh');
    assert.equal(model.snapshot?.apps[0].live, live);
  });

  it("a person's answer in VS Code's elicitation form is the only yes: false leaves haproxy.cfg as it was, true switches", async function () {
    this.timeout(180_000);
    const { model } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const live = (await until('a snapshot', () => model.snapshot)).apps[0].live!;
    const to = live === 'blue' ? 'green' : 'blue';
    const before = haproxyCfg();
    await withoutApprovalSocket(model.config!.file, async () => {
      // The runner clicks Respond and picks false, then true, in VS Code's own form.
      answerNext('decline');
      const declined = await settling(lm().invokeTool(`${TOOL_PREFIX}switch_traffic`, { input: {}, toolInvocationToken: undefined })).text();
      assert.match(declined, /not confirmed; nothing was changed\. The person said no/, declined);
      assert.equal(haproxyCfg(), before, 'haproxy.cfg changed after a no');
      answerNext('accept');
      const accepted = await settling(lm().invokeTool(`${TOOL_PREFIX}switch_traffic`, { input: {}, toolInvocationToken: undefined })).text();
      assert.doesNotMatch(accepted, /not confirmed|Not done/, accepted);
    });
    assert.notEqual(haproxyCfg(), before, 'haproxy.cfg unchanged after a yes');
    await vscode.commands.executeCommand('bluegreen.refresh');
    assert.equal(model.snapshot?.apps[0].live, to);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
  });
});
