import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandsDiff, commandsText, recordAllowed } from '../../src/core/agent/allowedCommands';
import { AgentHost, runAgentTool } from '../../src/core/agent/dispatch';
import { AGENT_TOOLS, AgentToolName } from '../../src/core/agent/tools';
import { agentWorkflow } from '../../src/core/agent/workflows';
import { parseConfig } from '../../src/core/config/load';
import { Config } from '../../src/core/config/types';
import { BlueGreenError } from '../../src/core/errors';
import { CommandRunner } from '../../src/core/ssh/runner';
import { Snapshot } from '../../src/core/status/snapshot';
import { ConfirmPort, ConfirmRequest, emergencyReason, reasonMissing, typedSlotMatches } from '../../src/core/plan/confirm';
import { OperationContext, WorkflowError } from '../../src/core/workflows/parts/operation';
import { lineReporter } from '../../src/core/workflows/parts/reporter';
import { redact } from '../../src/core/redact';
import { LogsRequest, LogsResult } from '../../src/core/workflows/logs';
import { AGENT_LOGS_CHARS } from '../../src/core/agent/logsAnswer';

const FIXTURE = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');

/** A runner that refuses every call and remembers it: any SSH at all is seen. */
class RefusingRunner implements CommandRunner {
  readonly calls: string[] = [];
  readonly scripts: string[] = [];
  private refuse(what: string): never {
    this.calls.push(what);
    throw new BlueGreenError('connect-failed', `${what}: no hosts in a unit test`);
  }
  async run(_host: unknown, script: string): Promise<never> {
    this.scripts.push(script);
    return this.refuse(script.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? 'script');
  }
  async httpGet(): Promise<never> {
    return this.refuse('httpGet');
  }
  async askUnixSocket(): Promise<never> {
    return this.refuse('askUnixSocket');
  }
  async whereIs(host: { ssh: string }): Promise<string> {
    return host.ssh;
  }
  warm(): void {}
  dispose(): void {}
}

/** The person's side: records every question and gives `answer`. */
function person(answer: 'yes' | 'no'): ConfirmPort & { asked: ConfirmRequest[] } {
  const asked: ConfirmRequest[] = [];
  return { asked, confirm: async (request) => (asked.push(request), answer === 'yes' ? { ok: true, via: 'test person' } : { ok: false }) };
}

/** A front end as the MCP server and the editor are: what it was asked to do is recorded. */
function fakeHost(config: Config, o: { snapshot?: Snapshot; logs?: LogsResult } = {}) {
  const runner = new RefusingRunner();
  const operated: { title: string; app: string; ctx?: OperationContext }[] = [];
  const statusRead: Config[] = [];
  const logsRead: { app: string; request: LogsRequest }[] = [];
  // What the front end's own context would answer if the dispatcher let it: always yes.
  const frontEndYes: ConfirmPort & { asked: ConfirmRequest[] } = person('yes');
  const host: AgentHost = {
    config,
    via: 'a unit test',
    status: async (wanted) => (statusRead.push(wanted), o.snapshot ?? { takenAt: '', durationMs: 0, apps: [] }),
    logs: async (app, request) => (logsRead.push({ app: app.name, request }), o.logs ?? { title: 'GREEN (STANDBY)', lines: [], dropped: 0, sources: [] }),
    operate: async (title, app, body) => {
      const record: (typeof operated)[number] = { title, app: app.name };
      operated.push(record);
      return body({ runner, app, reporter: lineReporter(() => undefined), confirm: frontEndYes, who: redact('ann@desk'), workspace: path.dirname(config.file) });
    },
  };
  return { host, runner, operated, statusRead, logsRead, frontEndYes };
}

const config = () => parseConfig(FIXTURE, '/work/app/bluegreen.yaml');

/** A config folder of the test's own: what a person allowed lives there, not in the real home. */
function ownConfigHome(allow: boolean): () => void {
  const saved = process.env.XDG_CONFIG_HOME;
  const home = mkdtempSync(path.join(os.tmpdir(), 'bg-allowed-'));
  process.env.XDG_CONFIG_HOME = home;
  if (allow) recordAllowed(config().file, commandsText(config()));
  return () => {
    if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  };
}

describe('the agent dispatcher (runAgentTool)', () => {
  let restore: () => void;
  before(() => (restore = ownConfigHome(true)));
  after(() => restore());
  it('an unknown tool name is refused before anything runs', async () => {
    for (const name of ['drop_database', '', 'get_deployment_status ', 'SWITCH_TRAFFIC', 'bluegreen_switch_traffic', '__proto__', 'constructor', 'toString']) {
      const { host, runner, operated, statusRead } = fakeHost(config());
      const approval = person('yes');
      const result = await runAgentTool(name, {}, approval, host);
      assert.equal(result.ok, false, name);
      assert.match(result.text, /^There is no tool ".*" \(tools: get_deployment_status, get_logs, deploy_to_staging, deploy_to_standby, promote_to_standby/, name);
      assert.deepEqual([operated.length, statusRead.length, runner.calls.length, approval.asked.length], [0, 0, 0, 0], name);
    }
  });

  it('odd argument types and values are refused, saying which, before anything runs', async () => {
    const cases: [AgentToolName, unknown, RegExp][] = [
      ['switch_traffic', { emergency: 'true', reason: 'x' }, /^switch_traffic: emergency must be boolean\. Nothing was run\.$/],
      ['switch_traffic', { emergency: 1, reason: 'x' }, /emergency must be boolean/],
      ['switch_traffic', { emergency: true, reason: ['down'] }, /reason must be string/],
      ['switch_traffic', { emergency: true, reason: 'x'.repeat(501) }, /reason must NOT have more than 500 characters/],
      ['switch_traffic', { requireApproval: 'no' }, /requireApproval must be boolean/],
      ['switch_traffic', { app: 5 }, /app must be string/],
      ['switch_traffic', { app: 'demo\n' }, /app must match pattern/],
      ['switch_traffic', { app: 'Demo;rm -rf /' }, /app must match pattern/],
      ['switch_traffic', 'switch now', /arguments must be object/],
      ['switch_traffic', [true], /arguments must be object/],
      ['switch_traffic', 42, /arguments must be object/],
      ['rollback', { extra: 1 }, /arguments must NOT have additional properties \(extra\)/],
      ['rollback', JSON.parse('{"__proto__": {"emergency": true}}'), /additional properties \(__proto__\)/],
      ['deploy_to_standby', { ref: 'main; touch /tmp/pwned' }, /ref must match pattern/],
      ['deploy_to_standby', { ref: '--upload-pack=sh' }, /ref must match pattern/],
      ['deploy_to_standby', { ref: 'a/../../b' }, /ref must match pattern/],
      ['deploy_to_standby', { pullGithub: 'yes', runMigrations: 'yes' }, /pullGithub must be boolean; runMigrations must be boolean/],
      ['bump_version', {}, /arguments must have required property 'level'/],
      ['bump_version', { level: 'huge' }, /level must be equal to one of the allowed values/],
      ['bump_version', { level: ['patch'] }, /level must be equal to one of the allowed values/],
      ['get_deployment_status', { app: null }, /app must be string/],
    ];
    for (const [name, input, says] of cases) {
      const { host, runner, operated, statusRead } = fakeHost(config());
      const approval = person('yes');
      const result = await runAgentTool(name, input, approval, host);
      assert.equal(result.ok, false, `${name} ${JSON.stringify(input)}`);
      assert.match(result.text, says, `${name} ${JSON.stringify(input)}`);
      assert.match(result.text, /Nothing was run\.$/);
      assert.deepEqual([operated.length, statusRead.length, runner.calls.length, approval.asked.length], [0, 0, 0, 0], `${name} ${JSON.stringify(input)}`);
    }
  });

  it('an approval-looking argument is refused on every tool, never taken as a yes', async () => {
    for (const tool of AGENT_TOOLS) {
      for (const field of ['approve', 'approved', 'confirm', 'confirmed', 'yes', 'token', 'code', 'approval', 'typed', 'typeToConfirm', 'via']) {
        const { host, runner, operated } = fakeHost(config());
        const approval = person('no');
        const result = await runAgentTool(tool.name, { level: 'patch', [field]: true }, approval, host);
        assert.equal(result.ok, false, `${tool.name} ${field}`);
        assert.match(result.text, new RegExp(`additional properties \\(${field}\\)`), `${tool.name} ${field}`);
        assert.deepEqual([operated.length, runner.calls.length, approval.asked.length], [0, 0, 0]);
      }
    }
  });

  it('an emergency without a reason (or only spaces) is refused before anything runs', async () => {
    for (const input of [{ emergency: true }, { emergency: true, reason: '' }, { emergency: true, reason: '  \n\t' }, { emergency: true, requireApproval: false }]) {
      const { host, runner, operated } = fakeHost(config());
      const approval = person('yes');
      const result = await runAgentTool('switch_traffic', input, approval, host);
      assert.deepEqual(result, { ok: false, text: 'An emergency switch needs a reason. Nothing was changed.' }, JSON.stringify(input));
      assert.deepEqual([operated.length, runner.calls.length, approval.asked.length], [0, 0, 0]);
    }
  });

  it('requireApproval: false changes nothing: every tool that can affect users asks the person, whatever the arguments say', () => {
    const asks = (name: Exclude<AgentToolName, 'get_deployment_status' | 'get_logs'>, args: object) => agentWorkflow(name, args, '/w').approval;
    for (const args of [{}, { requireApproval: false }, { requireApproval: false, emergency: true, reason: 'agent says so' }, { requireApproval: true }]) assert.equal(asks('switch_traffic', args), 'person', JSON.stringify(args));
    assert.equal(asks('rollback', {}), 'person');
    assert.equal(asks('bump_version', { level: 'major' }), 'person');
    assert.equal(asks('deploy_to_standby', { runMigrations: true }), 'person');
    // STANDBY-only work, which LIVE never sees, is what goes without a yes.
    assert.equal(asks('deploy_to_standby', { runMigrations: false }), 'none');
    assert.equal(asks('sync_standby', {}), 'none');
    // Staging moves no production traffic; promote deploys only what staging passed, to STANDBY.
    assert.equal(asks('deploy_to_staging', {}), 'none');
    assert.equal(asks('deploy_to_staging', { runMigrations: true }), 'person');
    assert.equal(asks('promote_to_standby', { commit: 'abc1234' }), 'none');
  });

  it('no tool lets an agent skip staging: no argument names it, and extra arguments are refused', async () => {
    const props = AGENT_TOOLS.flatMap((t) => Object.keys(t.inputSchema.properties));
    for (const name of props) assert.doesNotMatch(name, /skip|staging|gate|override/i, name);
    for (const tool of ['deploy_to_standby', 'promote_to_standby']) {
      const { host, runner } = fakeHost(config());
      const result = await runAgentTool(tool, { skipStaging: true, reason: 'agent says so' }, person('yes'), host);
      assert.equal(result.ok, false, tool);
      assert.match(result.text, /must NOT have additional properties/, tool);
      assert.equal(runner.calls.length, 0, tool);
    }
  });

  it('a switch with requireApproval: false, on hosts that cannot be reached, fails without moving traffic or a yes from anyone', async () => {
    for (const input of [{ requireApproval: false }, { requireApproval: false, emergency: true, reason: 'agent says so' }]) {
      const { host, runner, operated, frontEndYes } = fakeHost(config());
      const approval = person('yes');
      const result = await runAgentTool('switch_traffic', input, approval, host);
      assert.equal(result.ok, false);
      assert.equal(operated.length, 1);
      assert.deepEqual([approval.asked.length, frontEndYes.asked.length], [0, 0]);
      assert.ok(!runner.calls.some((c) => /switch/i.test(c)), runner.calls.join('\n'));
    }
  });

  describe('a bump, run for real in a scratch repository', () => {
    let repo: string;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    beforeEach(() => {
      repo = mkdtempSync(path.join(os.tmpdir(), 'bg-dispatch-'));
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'ann@example.net');
      git('config', 'user.name', 'Ann');
      writeFileSync(path.join(repo, 'package.json'), '{\n  "name": "demo",\n  "version": "1.0.0"\n}\n');
      git('add', 'package.json');
      git('commit', '-q', '-m', 'First');
    });
    afterEach(() => rmSync(repo, { recursive: true, force: true }));

    it('a declined approval changes nothing: the person is asked (not the front end), the repository is as it was, and the agent reads why', async function () {
      this.timeout(60_000);
      const scratch = parseConfig(FIXTURE, path.join(repo, 'bluegreen.yaml'));
      recordAllowed(scratch.file, commandsText(scratch));
      const { host, operated, frontEndYes } = fakeHost(scratch);
      const head = git('rev-parse', 'HEAD');
      const approval = person('no');
      const result = await runAgentTool('bump_version', { level: 'minor' }, approval, host);
      assert.equal(result.ok, false);
      assert.match(result.text, /^Bump the version and deploy it to STANDBY was not confirmed; nothing was changed\. The person said no\. Bump failed: not confirmed\. Nothing was changed\.$/);
      assert.equal(approval.asked.length, 1);
      assert.match(approval.asked[0].title, /^Release v1\.1\.0 \(1\.0\.0 → 1\.1\.0\)/);
      assert.equal(frontEndYes.asked.length, 0);
      assert.deepEqual(operated.map((o) => [o.title, o.app]), [['Bump the version and deploy it to STANDBY', 'demo']]);
      assert.equal(git('rev-parse', 'HEAD'), head);
      assert.equal(git('tag', '--list'), '');
      assert.equal(git('status', '--porcelain'), '');
      assert.match(readFileSync(path.join(repo, 'package.json'), 'utf8'), /"version": "1\.0\.0"/);
    });
  });

  it('a failure reads as what failed and the state now, then the failed step\'s last output, once', async () => {
    const { host } = fakeHost(config());
    host.operate = async () => {
      throw new WorkflowError('step-failed', 'Build', 'lab-green', 'exit 1', 'LIVE is unchanged: BLUE v1.1.0.', ['npm ERR! missing script: build', 'TOKEN=abc']);
    };
    const result = await runAgentTool('sync_standby', {}, person('no'), host);
    assert.deepEqual(result, { ok: false, text: 'Build failed on lab-green: exit 1. LIVE is unchanged: BLUE v1.1.0.\n\nLast output of the failed step:\nnpm ERR! missing script: build\nTOKEN=***' });
    host.operate = async () => {
      throw new WorkflowError('refused', 'Sync', undefined, 'cannot read LIVE', 'LIVE is unchanged: BLUE v1.1.0.');
    };
    assert.equal((await runAgentTool('sync_standby', {}, person('no'), host)).text, 'Sync failed: cannot read LIVE. LIVE is unchanged: BLUE v1.1.0.');
  });

  it('the workflow records who asked: the person running the front end, marked as an agent', async () => {
    const { host, runner } = fakeHost(config());
    // A sync takes the lock first, and the lock names who holds it.
    await runAgentTool('sync_standby', {}, person('no'), host);
    assert.equal(runner.scripts.length, 1);
    assert.match(runner.scripts[0], /"who":"ann@desk \(agent, via a unit test\)"/);
  });

  it('the status is read fresh for the app named (or all), and an unknown app is refused before any read', async () => {
    const { host, statusRead } = fakeHost(config());
    const all = await runAgentTool('get_deployment_status', {}, person('no'), host);
    assert.deepEqual(all, { ok: true, text: '', snapshot: { takenAt: '', durationMs: 0, apps: [] } });
    const one = await runAgentTool('get_deployment_status', { app: 'demo' }, person('no'), host);
    assert.equal(one.ok, true);
    assert.deepEqual(statusRead.map((c) => c.apps.map((a) => a.name)), [['demo'], ['demo']]);
    const unknown = await runAgentTool('get_deployment_status', { app: 'other' }, person('no'), host);
    assert.deepEqual(unknown, { ok: false, text: 'no app "other" in /work/app/bluegreen.yaml (apps: demo)' });
    assert.equal(statusRead.length, 2);
  });
});

describe('get_logs', () => {
  let restore: () => void;
  // No commands allowed: reading a log runs none of bluegreen.yaml's, so nobody is asked.
  before(() => (restore = ownConfigHome(false)));
  after(() => restore());
  const line = (text: string, stream: 'out' | 'err' = 'out') => ({ where: 'GREEN web-1', stream, text: redact(text) });

  it('reads with the defaults (STANDBY, 50 lines, no follow), asks nobody and operates nothing', async () => {
    const { host, logsRead, operated, runner } = fakeHost(config(), { logs: { title: 'GREEN (STANDBY)', lines: [line('listening on 3000'), line('boom', 'err')], dropped: 0, sources: ['GREEN web-1: /home/app/.pm2/logs/demo-out.log'] } });
    const approval = person('no');
    const result = await runAgentTool('get_logs', {}, approval, host);
    assert.deepEqual(logsRead, [{ app: 'demo', request: { target: 'standby', lines: 50, since: undefined, filter: undefined, follow: false } }]);
    assert.deepEqual(result, {
      ok: true,
      text: 'Logs of GREEN (STANDBY): the last 50 lines of each server.\nRead from GREEN web-1: /home/app/.pm2/logs/demo-out.log.\nGREEN web-1 | listening on 3000\nGREEN web-1 ! boom',
    });
    assert.deepEqual([approval.asked.length, operated.length, runner.calls.length], [0, 0, 0]);
    await runAgentTool('get_logs', { slot: 'lb', lines: 200, since: '15m', filter: 'error' }, approval, host);
    assert.deepEqual(logsRead[1].request, { target: 'lb', lines: 200, since: '15m', filter: 'error', follow: false });
  });

  it('odd arguments are refused before anything is read', async () => {
    const { host, logsRead } = fakeHost(config());
    for (const [input, said] of [
      [{ lines: 201 }, /lines must be <= 200/],
      [{ lines: 0 }, /lines must be >= 1/],
      [{ lines: 2.5 }, /lines must be integer/],
      [{ lines: '50' }, /lines must be integer/],
      [{ slot: 'prod' }, /slot must be equal to one of the allowed values/],
      [{ since: 'yesterday' }, /since must match pattern/],
      [{ since: '15m; rm -rf /' }, /since must match pattern/],
      [{ follow: true }, /must NOT have additional properties \(follow\)/],
      [{ app: 'other' }, /no app "other"/],
    ] as const) {
      const result = await runAgentTool('get_logs', input, person('yes'), host);
      assert.equal(result.ok, false, JSON.stringify(input));
      assert.match(result.text, said, JSON.stringify(input));
    }
    assert.equal(logsRead.length, 0);
  });

  it('the answer is bounded: the newest lines that fit, the older ones counted', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => line(`${i} ${'x'.repeat(1900)}`));
    const { host } = fakeHost(config(), { logs: { title: 'BLUE', lines, dropped: 7, sources: [] } });
    const { text } = await runAgentTool('get_logs', { lines: 200 }, person('no'), host);
    assert.ok(text.length <= AGENT_LOGS_CHARS, String(text.length));
    assert.match(text, /\((\d+) older lines left out: the answer holds at most 40000 characters/);
    const kept = text.split('\n').filter((l) => l.startsWith('GREEN web-1 | '));
    assert.ok(kept.length > 10 && kept.length < 25, String(kept.length));
    assert.equal(Number(/\((\d+) older/.exec(text)![1]) + kept.length, 600);
    assert.match(kept[kept.length - 1], /^GREEN web-1 \| 599 /);
    assert.match(text, /7 lines were dropped by the flood bound\.$/);
    // What the hosts say besides their lines (where they read from, a note) is bounded too.
    const sources = Array.from({ length: 100 }, (_, i) => `GREEN web-${i}: ${'f'.repeat(5000)}`);
    const { host: chatty } = fakeHost(config(), { logs: { title: 'GREEN', lines, dropped: 0, sources, note: 'n'.repeat(50_000) } });
    const bounded = (await runAgentTool('get_logs', { lines: 200 }, person('no'), chatty)).text;
    assert.ok(bounded.length <= AGENT_LOGS_CHARS, String(bounded.length));
    assert.match(bounded, /\(and 84 more hosts\)/);
  });

  it("a slot whose log is read by bluegreen.yaml's own logs command is read only once a person allowed the commands", async () => {
    const withCommand = config();
    withCommand.apps[0].logs = { green: 'journalctl -u demo-green -n {lines} --no-pager' };
    assert.match(commandsText(withCommand), /^demo: logs\.green on GREEN's servers: journalctl -u demo-green -n \{lines\} --no-pager$/m);
    const { host, logsRead } = fakeHost(withCommand);
    const no = person('no');
    const refused = await runAgentTool('get_logs', { slot: 'green' }, no, host);
    assert.equal(refused.ok, false);
    assert.match(refused.text, /^Nothing was run: the commands in \/work\/app\/bluegreen\.yaml were never allowed by a person/);
    assert.deepEqual([no.asked.length, logsRead.length], [1, 0]);
    // HAProxy's log runs none of them.
    assert.equal((await runAgentTool('get_logs', { slot: 'lb' }, person('no'), host)).ok, true);
    const yes = person('yes');
    assert.equal((await runAgentTool('get_logs', { slot: 'green' }, yes, host)).ok, true);
    assert.deepEqual([yes.asked.length, logsRead.map((r) => r.request.target)], [1, ['lb', 'green']]);
  });

  it('says so when there is nothing, and passes a read failure on as a refusal', async () => {
    const { host } = fakeHost(config());
    assert.match((await runAgentTool('get_logs', { slot: 'blue' }, person('no'), host)).text, /\nNo lines\.$/);
    const failing: AgentHost = { ...host, logs: async () => Promise.reject(new Error('BLUE web-1: no log files')) };
    assert.deepEqual(await runAgentTool('get_logs', {}, person('no'), failing), { ok: false, text: 'BLUE web-1: no log files' });
  });
});

describe("an agent runs bluegreen.yaml's commands only as a person allowed them", () => {
  let restore: () => void;
  beforeEach(() => (restore = ownConfigHome(false)));
  afterEach(() => restore());
  const hooked = () => parseConfig(`${FIXTURE}    deploy:\n      hooks:\n        backup:\n          - { host: lb, run: "sed -i s/blue/green/ /etc/haproxy/haproxy.cfg" }\n`, '/work/app/bluegreen.yaml');

  it('asks the first time, showing the commands and hosts; a no runs nothing', async () => {
    const { host, operated } = fakeHost(config());
    const no = person('no');
    const result = await runAgentTool('deploy_to_standby', {}, no, host);
    assert.equal(result.ok, false);
    assert.match(result.text, /^Nothing was run: the commands in \/work\/app\/bluegreen\.yaml were never allowed by a person for this file\nThe person did not allow them\./);
    assert.equal(operated.length, 0);
    assert.match(no.asked[0].title, /^Allow the commands in \/work\/app\/bluegreen\.yaml\?$/);
    assert.match(no.asked[0].detail, /deploy\.install on STANDBY's servers: /);
    assert.match(no.asked[0].detail, /load balancer .* reload: /);
  });

  it('a yes is remembered for exactly that text: the next call does not ask; a changed hook asks again with the diff, and without a person is refused naming the line', async () => {
    const first = fakeHost(config());
    const yes = person('yes');
    await runAgentTool('deploy_to_standby', {}, yes, first.host);
    assert.equal(yes.asked.length, 1, 'asked once, to allow');
    assert.equal(first.operated.length, 1, 'then it ran');
    const again = fakeHost(config());
    const second = person('yes');
    await runAgentTool('deploy_to_standby', {}, second, again.host);
    assert.equal(second.asked.length, 0);

    const edited = fakeHost(hooked());
    const nobody: ConfirmPort = { confirm: async () => Promise.reject(new BlueGreenError('not-confirmable', 'nobody could be asked.')) };
    const refused = await runAgentTool('deploy_to_standby', {}, nobody, edited.host);
    assert.equal(refused.ok, false);
    assert.match(refused.text, /changed since a person last allowed them:\n\+ demo: hook backup on the load balancer \(\S+\): sed -i s\/blue\/green\/ \/etc\/haproxy\/haproxy\.cfg\nnobody could be asked\./);
    assert.equal(edited.operated.length, 0, 'the hook ran without a person');
    const asks = person('yes');
    await runAgentTool('deploy_to_standby', {}, asks, fakeHost(hooked()).host);
    assert.match(asks.asked[0].detail, /^Changed since they were last allowed \(.*\):\n\+ demo: hook backup/);
  });

  it('an edit of the ssh_config bluegreen.yaml names counts as a change: it decides which machine each alias reaches', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-sshcfg-'));
    try {
      writeFileSync(path.join(dir, 'ssh_config'), 'Host jwg\n  HostName 10.92.3.24\n');
      const load = () => parseConfig(FIXTURE.replace('version: 1\n', 'version: 1\nssh:\n  config: ssh_config\n'), path.join(dir, 'bluegreen.yaml'));
      const before = commandsText(load());
      writeFileSync(path.join(dir, 'ssh_config'), 'Host jwg\n  HostName 10.92.3.22\n');
      const diff = commandsDiff(before, commandsText(load()));
      assert.equal(diff.length, 2);
      assert.match(diff[0], /^\+ ssh config file: .*ssh_config \(sha256 [0-9a-f]{16}\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("staging's servers, the branch it follows, the git remote and every webhook count as commands: an agent re-pointing staging (or adding a listener) is asked about", () => {
    const staged = (staging: string, extra = '') => parseConfig(FIXTURE.replace(/^(\s+)slots:\n/m, `$1staging: ${staging}\n${extra}$1slots:\n`), '/work/bluegreen.yaml');
    const base = staged('{ ssh: stage, url: "http://10.0.0.9:3001", dir: /opt/demo, pm2: demo-staging }');
    const text = commandsText(base);
    assert.match(text, /^demo: staging servers: stage in \/opt\/demo \(pm2 demo-staging\)$/m);
    assert.match(text, /^demo: staging follows origin\/develop$/m);
    assert.match(text, /^demo: deploy\.install on STANDBY's and staging's servers: /m);
    const moved = commandsDiff(text, commandsText(staged('{ ssh: "root@db.internal", via: "sudo -u postgres", url: "http://10.0.0.9:3001", dir: /srv/other, pm2: demo-staging, branch: evil }')));
    assert.deepEqual(moved, ['+ demo: staging servers: root@db.internal via "sudo -u postgres" in /srv/other (pm2 demo-staging)', '+ demo: staging follows origin/evil', '− demo: staging servers: stage in /opt/demo (pm2 demo-staging)', '− demo: staging follows origin/develop']);
    const listened = commandsDiff(text, commandsText(staged('{ ssh: stage, url: "http://10.0.0.9:3001", dir: /opt/demo, pm2: demo-staging }', '    notify: [{ url: "https://chat.example.net/hooks/SECRETTOKEN" }]\n')));
    assert.equal(listened.length, 1);
    assert.match(listened[0], /^\+ demo: notify https:\/\/chat\.example\.net\/\*\*\* \(sha256 [0-9a-f]{16}\)$/);
    assert.doesNotMatch(listened[0], /SECRETTOKEN/);
  });

  it('the status needs no allowing: it runs none of the commands', async () => {
    const { host } = fakeHost(config());
    const no = person('no');
    assert.equal((await runAgentTool('get_deployment_status', {}, no, host)).ok, true);
    assert.equal(no.asked.length, 0);
  });
});

describe('the typed-slot and emergency-reason rules (every medium asks these)', () => {
  const emergency: ConfirmRequest = { title: 'Switch?', detail: '', action: 'Emergency Switch', typeToConfirm: 'GREEN', askReason: true };
  const plain: ConfirmRequest = { title: 'Switch?', detail: '', action: 'Switch Traffic' };

  it('the slot must be typed as named; spaces around it are forgiven, nothing else is', () => {
    for (const typed of ['GREEN', ' GREEN ', 'GREEN\n']) assert.equal(typedSlotMatches(emergency, typed), true, JSON.stringify(typed));
    for (const typed of ['green', 'GREE', 'GREEN!', 'BLUE', '', undefined, true, ['GREEN'], { toString: () => 'GREEN' }]) assert.equal(typedSlotMatches(emergency, typed), false, JSON.stringify(typed));
    assert.equal(typedSlotMatches(plain, undefined), true);
  });

  it('an emergency needs a reason with text in it; it is kept trimmed', () => {
    for (const reason of [undefined, '', '   ', '\n\t', 42, true, ['down']]) assert.equal(reasonMissing(emergency, reason), true, JSON.stringify(reason));
    assert.equal(reasonMissing(emergency, ' db down '), false);
    assert.equal(emergencyReason(' db down '), 'db down');
    assert.equal(reasonMissing(plain, undefined), false);
  });
});
