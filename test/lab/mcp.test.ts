import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { approvalEndpoint, serveApprovals, windowSocketPath } from '../../src/core/approval/socket';
import { ConfirmRequest } from '../../src/core/plan/confirm';
import { labConfig, readState, resetLab, served } from './helpers';
import { commandsText, recordAllowed } from '../../src/core/agent/allowedCommands';
import { parseConfig } from '../../src/core/config/load';
import { lab } from './setup';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> };

/** A real MCP client spawning `bluegreen mcp`; with `elicit`, it declares elicitation and answers so. */
async function connect(elicit?: (message: string) => Answer, configFile = lab().configFile): Promise<Client> {
  const client = new Client({ name: 'lab-test-client', version: '1.0.0' }, { capabilities: elicit ? { elicitation: { form: {} } } : {} });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async (request) => elicit(String(request.params.message)));
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--config', configFile], env, stderr: 'pipe' }));
  return client;
}

function textOf(result: unknown): string {
  return ((result as { content: { type: string; text: string }[] }).content ?? []).map((c) => c.text).join('\n');
}

describe('bluegreen mcp: a real MCP client against the lab', function () {
  this.timeout(180_000);
  const clients: Client[] = [];
  const open = async (elicit?: (message: string) => Answer, configFile?: string) => {
    const c = await connect(elicit, configFile);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  // What a person allowed lives in a config folder of this suite's own; the lab's commands are allowed up front.
  const savedConfigHome = process.env.XDG_CONFIG_HOME;
  before(() => {
    process.env.XDG_CONFIG_HOME = mkdtempSync(path.join(os.tmpdir(), 'bg-mcp-allowed-'));
    const config = labConfig();
    recordAllowed(config.file, commandsText(config));
  });
  after(async function () {
    this.timeout(120_000);
    rmSync(process.env.XDG_CONFIG_HOME!, { recursive: true, force: true });
    if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedConfigHome;
    await resetLab();
  });

  it('answers initialize and lists the tools with their schemas and hints', async () => {
    const started = Date.now();
    const client = await open();
    assert.ok(Date.now() - started < 5000);
    assert.equal(client.getServerVersion()?.name, 'bluegreen');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['bump_version', 'deploy_to_staging', 'deploy_to_standby', 'get_deployment_status', 'get_logs', 'promote_to_standby', 'rollback', 'switch_traffic', 'sync_standby']);
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.equal(byName.get('get_deployment_status')?.annotations?.readOnlyHint, true);
    assert.equal(byName.get('switch_traffic')?.annotations?.destructiveHint, true);
    assert.deepEqual(Object.keys(byName.get('switch_traffic')?.inputSchema.properties ?? {}).sort(), ['app', 'emergency', 'reason', 'requireApproval']);
    assert.deepEqual(Object.keys(byName.get('deploy_to_standby')?.inputSchema.properties ?? {}).sort(), ['app', 'createBackup', 'pullGithub', 'ref', 'runMigrations']);
  });

  it('get_deployment_status names the LIVE slot, with the Snapshot as JSON', async () => {
    const client = await open();
    const result = await client.callTool({ name: 'get_deployment_status', arguments: {} });
    assert.notEqual(result.isError, true, textOf(result));
    const [summary, json] = (result.content as { text: string }[]).map((c) => c.text);
    assert.match(summary, /^demo: LIVE is BLUE v1\.1\.0 \(healthy, [0-9a-f]{7}\); STANDBY is GREEN v1\.1\.0 \(healthy, [0-9a-f]{7}\)\.$/);
    assert.equal((JSON.parse(json) as { apps: { live: string }[] }).apps[0].live, 'blue');
  });

  it('bad input to every tool is a clear tool error, and nothing runs', async () => {
    const client = await open();
    const stateBefore = readFileSync(lab().stateFile, 'utf8');
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['get_deployment_status', { app: 'nope' }, /no app "nope"/],
      ['deploy_to_standby', { ref: 'main; touch /tmp/pwned' }, /ref must match pattern/],
      ['deploy_to_standby', { pullGithub: 'yes' }, /pullGithub must be boolean/],
      ['switch_traffic', { emergency: 'true' }, /emergency must be boolean/],
      ['switch_traffic', { app: 'Demo;rm' }, /app must match pattern/],
      ['rollback', { extra: 1 }, /must NOT have additional properties \(extra\)/],
      ['sync_standby', { app: 'other' }, /no app "other"/],
      ['bump_version', { level: 'huge' }, /level must be equal to one of the allowed values/],
      ['drop_database', {}, /There is no tool "drop_database"/],
    ];
    for (const [name, args, says] of bad) {
      const result = await client.callTool({ name, arguments: args });
      assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} did not fail`);
      assert.match(textOf(result), says, name);
    }
    assert.equal(await served(), 'blue 1.1.0');
    assert.equal(readFileSync(lab().stateFile, 'utf8'), stateBefore);
  });

  it('deploy_to_standby runs to STANDBY and streams its steps as progress', async () => {
    const client = await open();
    const progress: string[] = [];
    const result = await client.callTool({ name: 'deploy_to_standby', arguments: {} }, undefined, { onprogress: (p) => progress.push(String(p.message)), timeout: 120_000 });
    assert.notEqual(result.isError, true, textOf(result));
    assert.match(textOf(result), /^GREEN \(STANDBY\) runs v1\.2\.0 at [0-9a-f]{7}\. LIVE is unchanged: BLUE v1\.1\.0\.$/);
    assert.ok(progress.includes('── Build (lab-green) ──'), progress.join('\n'));
    assert.ok(progress.some((l) => /^✓ Restart demo-green \(\d+\.\d s\)$/.test(l)));
    assert.equal(await served(), 'blue 1.1.0');
  });

  it('switch_traffic without a person to ask is refused, also with requireApproval: false; emergency needs a reason', async () => {
    const client = await open();
    const stateBefore = readFileSync(lab().stateFile, 'utf8');
    for (const args of [{}, { requireApproval: false }, { requireApproval: false, emergency: true, reason: 'agent says so' }]) {
      const result = await client.callTool({ name: 'switch_traffic', arguments: args });
      assert.equal(result.isError, true, JSON.stringify(args));
      assert.match(textOf(result), /needs a person's approval, and nobody could be asked.*Nothing was changed/, JSON.stringify(args));
    }
    const noReason = await client.callTool({ name: 'switch_traffic', arguments: { emergency: true } });
    assert.equal(noReason.isError, true);
    assert.match(textOf(noReason), /An emergency switch needs a reason/);
    assert.equal(await served(), 'blue 1.1.0');
    assert.equal(readFileSync(lab().stateFile, 'utf8'), stateBefore);
  });

  it('switch_traffic through elicitation: declined changes nothing; accepted moves traffic and records how', async () => {
    const asked: string[] = [];
    const declining = await open((message) => (asked.push(message), { action: 'decline' }));
    const declined = await declining.callTool({ name: 'switch_traffic', arguments: { requireApproval: false } });
    assert.equal(declined.isError, true);
    assert.match(textOf(declined), /not confirmed.*The person said no/);
    assert.match(asked[0], /^Switch traffic from BLUE \(v1\.1\.0\) to GREEN \(v1\.2\.0\)\?/);
    assert.equal(await served(), 'blue 1.1.0');

    const accepting = await open(() => ({ action: 'accept', content: { approve: true } }));
    const switched = await accepting.callTool({ name: 'switch_traffic', arguments: {} }, undefined, { timeout: 120_000 });
    assert.notEqual(switched.isError, true, textOf(switched));
    assert.match(textOf(switched), /^LIVE is GREEN v1\.2\.0 \(was BLUE\), verified in \d+ ms/);
    assert.equal(await served(), 'green 1.2.0');
    const last = (readState().history as Record<string, unknown>[]).pop()!;
    assert.equal(last.approvedVia, 'MCP elicitation');
    assert.match(String(last.by), /\(agent, via bluegreen mcp\)$/);
  });

  it('asks the editor first: the approval socket of the workspace answers for the person', async () => {
    const asked: ConfirmRequest[] = [];
    let answer = { ok: false } as { ok: boolean; via?: string };
    const editor: Server = serveApprovals(windowSocketPath(approvalEndpoint(lab().configFile), 'test'), { confirm: async (r) => (asked.push(r), answer.ok ? { ok: true, via: answer.via } : { ok: false }) }, () => undefined);
    try {
      // The client offers elicitation too, and would say yes: the editor is asked first.
      const client = await open(() => ({ action: 'accept', content: { approve: true } }));
      const refused = await client.callTool({ name: 'rollback', arguments: {} });
      assert.equal(refused.isError, true);
      assert.equal(asked.length, 1);
      assert.match(asked[0].title, /^Roll back traffic from GREEN \(v1\.2\.0\) to BLUE \(v1\.1\.0\)\?$/);
      assert.equal(await served(), 'green 1.2.0');
      answer = { ok: true, via: 'editor dialog' };
      const rolledBack = await client.callTool({ name: 'rollback', arguments: {} }, undefined, { timeout: 120_000 });
      assert.notEqual(rolledBack.isError, true, textOf(rolledBack));
      assert.equal(await served(), 'blue 1.1.0');
      assert.equal((readState().history as Record<string, unknown>[]).pop()!.approvedVia, 'editor dialog');
    } finally {
      editor.close();
    }
  });

  it('an agent that added a hook to bluegreen.yaml: without a person nothing runs, naming the new line; once a person allows it, it runs', async () => {
    const file = path.join(lab().dir, 'bluegreen.agent.yaml');
    const marker = path.join(lab().dir, 'agent-hook-ran');
    writeFileSync(file, readFileSync(lab().configFile, 'utf8'));
    const allowed = parseConfig(readFileSync(file, 'utf8'), file);
    recordAllowed(file, commandsText(allowed));
    // The agent's edit: a hook that runs its own command during a deploy, which needs no approval.
    writeFileSync(file, readFileSync(file, 'utf8').replace('    deploy:\n', `    deploy:\n      hooks:\n        backup:\n          - { host: standby, run: "touch ${marker}" }\n`));
    const nobody = await open(undefined, file);
    const refused = await nobody.callTool({ name: 'deploy_to_standby', arguments: {} });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), new RegExp(`changed since a person last allowed them:\\n\\+ demo: hook backup on STANDBY's first server: touch ${marker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.equal(existsSync(marker), false, 'the hook ran without a person');
    const asked: string[] = [];
    const person = await open((message) => (asked.push(message), { action: 'accept', content: { approve: true } }), file);
    const ran = await person.callTool({ name: 'deploy_to_standby', arguments: {} }, undefined, { timeout: 120_000 });
    assert.notEqual(ran.isError, true, textOf(ran));
    assert.match(asked[0], /^The commands in .*bluegreen\.agent\.yaml changed: allow them\?/);
    assert.equal(existsSync(marker), true, 'the allowed hook did not run');
    rmSync(marker, { force: true });
  });

  it('no credential leaves: an emergency reason with one is recorded redacted, and a history carrying one shows none in get_deployment_status or status --json', async () => {
    const live = (await served()).split(' ')[0] as 'blue' | 'green';
    const target = live === 'blue' ? 'GREEN' : 'BLUE';
    const secret = 'hunter2-do-not-show';
    const asked: string[] = [];
    const person = await open((message) => (asked.push(message), { action: 'accept', content: { approve: true, typed: target, reason: `rotating DB_PASSWORD=${secret}` } }));
    const switched = await person.callTool({ name: 'switch_traffic', arguments: { emergency: true, reason: `db creds postgres://app:${secret}@db/app` } }, undefined, { timeout: 120_000 });
    assert.notEqual(switched.isError, true, textOf(switched));
    assert.ok(!asked.join('\n').includes(secret), asked.join('\n'));
    const recorded = (readState().history as Record<string, unknown>[]).at(-1)!;
    assert.equal(recorded.reason, 'rotating DB_PASSWORD=***');

    // Another tool (or a hand) wrote credentials into the history: read back, none is shown.
    const state = readState();
    (state.history as Record<string, unknown>[]).push({ timestamp: new Date().toISOString(), kind: 'release', from: 'blue', to: 'green', by: 'ops@laptop', reason: `DB_PASSWORD=${secret} postgres://u:${secret}@db`, DB_PASSWORD: secret });
    writeFileSync(lab().stateFile, JSON.stringify(state));
    const status = await (await open()).callTool({ name: 'get_deployment_status', arguments: {} });
    assert.notEqual(status.isError, true, textOf(status));
    assert.match(textOf(status), /DB_PASSWORD=\*\*\*/);
    assert.ok(!textOf(status).includes(secret), textOf(status));
    const json = spawnSync(process.execPath, [CLI, 'status', '--json', '--config', lab().configFile], { encoding: 'utf8', timeout: 60_000 });
    assert.ok(json.stdout.includes('DB_PASSWORD=***'), json.stdout + json.stderr);
    assert.ok(!json.stdout.includes(secret) && !json.stderr.includes(secret), json.stdout);
    JSON.parse(json.stdout);
  });
});
