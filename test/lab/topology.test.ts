import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabInfo, labDown, labUp } from '../../lab/lab';
import { parseConfig } from '../../src/core/config/load';
import { Config } from '../../src/core/config/types';
import { REFUSE_PROMPTS } from '../../src/core/ssh/runner';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { takeSnapshot } from '../../src/core/status/refresh';
import { canary } from '../../src/core/workflows/canary';
import { preApproved } from '../../src/core/plan/confirm';
import { deploy } from '../../src/core/workflows/deploy';
import { OperationContext, WorkflowError } from '../../src/core/workflows/parts/operation';
import { release } from '../../src/core/workflows/release';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { redact } from '../../src/core/redact';
import { ConfirmPort, ConfirmRequest, typedSlotMatches } from '../../src/core/plan/confirm';
import { restart } from '../../src/core/workflows/restart';
import { generateLoad } from '../../lab/load';
import { parseShowStat } from '../../src/core/status/parse';
import { RuntimeServer } from '../../src/core/status/snapshot';
import * as net from 'node:net';

const DIR = path.join(os.tmpdir(), 'bluegreen-lab-topology');

/** The health answer's JSON (this suite runs its own lab: the shared lab's helpers are not needed). */
function health(url: string, host?: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/health`, { headers: { connection: 'close', ...(host ? { host } : {}) }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      })
      .on('error', reject);
  });
}
/** One line to an HAProxy socket on this machine, its whole answer. */
function askSocket(socket: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const c = net.createConnection(socket, () => c.end(`${line}\n`));
    c.on('data', (d) => (out += d.toString()));
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

/** Its own addresses: the suite's shared lab runs beside it on 127.77.0. */
const SUBNET = '127.76.0';

describe('real topologies: 2 apps × 2 slots × 2 servers behind a pair of load balancers (npm run lab -- up --apps 2 --servers 2 --lbs 2)', function () {
  this.timeout(120_000);
  let topo: LabInfo;
  let config: Config;
  let runner: Ssh2Runner;
  const configs = () => topo.loadBalancers.map((lb) => readFileSync(lb.haproxyConfig, 'utf8'));
  const context = (app: string, edit: (yaml: string) => string = (y) => y): OperationContext => {
    const original = readFileSync(topo.configFile, 'utf8');
    const text = edit(original);
    // An edited config is a file of its own, as a person's would be: an approval is bound to the file's text.
    const file = text === original ? topo.configFile : topo.configFile.replace(/\.yaml$/, '.edited.yaml');
    if (file !== topo.configFile) writeFileSync(file, text);
    const edited = parseConfig(text, file);
    return { runner, app: edited.apps.find((a) => a.name === app)!, reporter: new RecordingReporter(), confirm: preApproved(), who: redact('test@topology') };
  };
  /** Which slot of `app` answers through each load balancer's own frontend. */
  const servedThroughEach = (app: string) => Promise.all(topo.loadBalancers.map(async (lb) => String((await health(lb.sharedFrontendUrl, `${app}.lab`)).environment)));
  const head = (host: string) => execFileSync('git', ['-C', path.join(topo.hosts[host].home, 'app'), 'rev-parse', 'HEAD']).toString().trim();
  const appPid = (host: string) => {
    const list = JSON.parse(execFileSync(path.join(topo.dir, 'bin', 'pm2'), ['jlist'], { env: { ...process.env, PM2_HOME: path.join(topo.hosts[host].home, 'pm2') } }).toString()) as { pid: number }[];
    return list[0]?.pid;
  };
  const stateOn = (lbIndex: number, app: string) => JSON.parse(readFileSync(topo.apps.find((a) => a.name === app)!.stateFiles[lbIndex], 'utf8')) as { live: string; switchCount: number };

  before(async function () {
    this.timeout(240_000);
    topo = await labUp(DIR, SUBNET, { apps: 2, servers: 2, lbs: 2 });
    config = parseConfig(readFileSync(topo.configFile, 'utf8'), topo.configFile);
    runner = new Ssh2Runner({ sshConfigFile: topo.sshConfig, connectTimeoutMs: 5000, keepaliveIntervalMs: 2000, commandTimeoutMs: 60000, prompts: REFUSE_PROMPTS });
  });

  after(async function () {
    this.timeout(60_000);
    runner?.dispose();
    if (!process.env.BLUEGREEN_LAB_KEEP) await labDown(DIR);
  });

  it('status shows both apps, each slot with its two servers (health, version, commit, pm2, HAProxy check), and both load balancers', async () => {
    const snapshot = await takeSnapshot(runner, config);
    assert.deepEqual(snapshot.apps.map((a) => a.name), ['demo', 'app2']);
    for (const app of snapshot.apps) {
      assert.deepEqual(app.lbs.map((lb) => [lb.host, lb.reachable, lb.routesTo]), [['lab-lb', true, 'blue'], ['lab-lb2', true, 'blue']], app.name);
      assert.deepEqual(app.drift, [], app.name);
      for (const slot of [app.slots.blue, app.slots.green]) {
        assert.equal(slot.servers.length, 2, `${app.name} ${slot.name}`);
        assert.equal(slot.health, 'up');
        assert.equal(slot.version, '1.1.0');
        for (const server of slot.servers) {
          assert.equal(server.health, 'up', server.server);
          assert.equal(server.commit, head(server.server));
          assert.equal(server.pm2?.status, 'online', server.server);
          assert.match(server.haproxyCheck ?? '', /^UP/, `HAProxy's check of ${server.server}`);
        }
      }
    }
    assert.deepEqual(snapshot.apps[1].slots.green.servers.map((s) => s.server), ['app2-green', 'app2-green-2']);
  });

  it('bluegreen init on one of the load balancers proposes both apps of the shared frontend and writes the one picked, each slot with its two servers; status reads it', () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-init-topology-'));
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), ...args, ...(args[0] === 'init' ? ['--ssh-config', topo.sshConfig] : [])], { cwd: workspace, encoding: 'utf8', timeout: 100_000, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      // Every lab's HAProxy runs on this one machine: the LB host shows several, as a host running two would.
      const which = cli('init', 'lab-lb');
      assert.equal(which.status, 2, which.stderr);
      assert.match(which.stderr, /lab-lb runs \d HAProxy configs\. Which one routes the app\? Not asked: no terminal\. Answer with --haproxy-config /);
      const config = topo.loadBalancers[0].haproxyConfig;
      const asked = cli('init', 'lab-lb', '--haproxy-config', config);
      assert.equal(asked.status, 2, asked.stderr);
      assert.match(asked.stderr, /routes 2 apps\. Which one\? Not asked: no terminal\. Answer with --app demo\./);
      const written = cli('init', 'lab-lb', '--haproxy-config', config, '--app', 'app2');
      assert.equal(written.status, 0, written.stderr);
      assert.match(written.stdout, /app2: shared if is_app2 → app2_blue \/ app2_green/);
      const file = path.join(workspace, 'bluegreen.yaml');
      const [app] = parseConfig(readFileSync(file, 'utf8'), file).apps;
      assert.deepEqual([app.name, app.loadBalancers[0].frontend, app.loadBalancers[0].acl], ['app2', 'shared', 'is_app2']);
      for (const slot of ['blue', 'green'] as const) {
        assert.deepEqual(app.slots[slot].servers.map((v) => [v.ssh, v.dir, v.pm2]), [`app2-${slot}`, `app2-${slot}-2`].map((h) => [`lab-${h}`, path.join(topo.hosts[h].home, 'app'), `app2-${slot}`]));
      }
      const status = cli('status', '--json');
      const snapshot = JSON.parse(status.stdout) as { apps: { live: string; drift: { kind: string }[]; slots: Record<string, { health: string; servers: unknown[] }> }[] };
      assert.equal(snapshot.apps[0].live, 'blue');
      assert.deepEqual(Object.values(snapshot.apps[0].slots).map((v) => [v.health, v.servers.length]), [['up', 2], ['up', 2]]);
      // Only the state file, which the first operation writes, is missing.
      assert.deepEqual(snapshot.apps[0].drift.map((d) => d.kind), ['state-file-missing']);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it("a deploy builds and restarts every STANDBY server, and no LIVE server's process", async () => {
    const livePids = ['blue', 'blue-2'].map(appPid);
    const result = await deploy(context('demo'), { ref: 'v1.2.0' });
    const tag = execFileSync('git', ['--git-dir', topo.origin, 'rev-parse', 'v1.2.0^{commit}']).toString().trim();
    assert.equal(result.commit, tag);
    assert.deepEqual(['green', 'green-2'].map(head), [tag, tag]);
    for (const host of ['green', 'green-2']) assert.equal((await health(`http://${topo.hosts[host].address}:${topo.appPort}`)).version, '1.2.0', host);
    assert.deepEqual(['blue', 'blue-2'].map(appPid), livePids, "LIVE's processes were restarted");
    assert.deepEqual(['app2-green', 'app2-green-2'].map(head).map((c) => c === tag), [false, false], "the other app's STANDBY was deployed to");
  });

  it("a release of app 1 switches both load balancers, each changing one line: app 2's routing and every other byte stay as they were", async () => {
    const before = configs();
    const result = await release(context('demo'));
    assert.equal(result.to, 'green');
    const after = configs();
    for (const [i, text] of after.entries()) {
      assert.equal(text, before[i].replace('    use_backend demo_blue if is_demo\n', '    use_backend demo_green if is_demo\n'), `${topo.loadBalancers[i].host}: more than the app's routing line changed`);
      assert.notEqual(text, before[i]);
    }
    assert.deepEqual(await servedThroughEach('demo'), ['green', 'green']);
    assert.deepEqual(await servedThroughEach('app2'), ['blue', 'blue']);
    assert.deepEqual([0, 1].map((i) => [stateOn(i, 'demo').live, stateOn(i, 'demo').switchCount]), [['green', 1], ['green', 1]], 'the switch is recorded on each LB');
    assert.deepEqual([0, 1].map((i) => stateOn(i, 'app2').switchCount), [0, 0]);
  });

  it('a reload that fails on the second load balancer puts the first back: both route to the old LIVE, seen through each frontend', async () => {
    const before = configs();
    const states = [0, 1].map((i) => readFileSync(topo.apps[0].stateFiles[i], 'utf8'));
    const secondFails = (yaml: string) => yaml.replace(`reload: ${topo.loadBalancers[1].reloadCommand}`, 'reload: "exit 1"');
    const ctx = context('demo', secondFails);
    assert.equal(ctx.app.loadBalancers[1].reload, 'exit 1', 'the test broke the second LB');
    await assert.rejects(release(ctx, { kind: 'rollback' }), (e: unknown) => {
      assert.ok(e instanceof WorkflowError, String(e));
      assert.equal(e.host, 'lab-lb2');
      assert.match(e.message, /the reload failed/);
      assert.match(e.message, /The load balancers switched before it were put back: lab-lb: LIVE is GREEN v1\.2\.0\./);
      return true;
    });
    const lines = (ctx.reporter as RecordingReporter).lines;
    assert.ok(lines.some((l) => l.startsWith('ok Switch shared (is_demo) on lab-lb and reload HAProxy')), 'the first LB was switched before the second failed');
    assert.ok(lines.some((l) => l.startsWith('!! Switch shared (is_demo) on lab-lb2 and reload HAProxy failed after')), `the failed switch step is not shown as failed:\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => l.startsWith('ok Restore the previous HAProxy config on lab-lb')), lines.join('\n'));
    assert.deepEqual(configs(), before, 'a config was left changed');
    assert.deepEqual(await servedThroughEach('demo'), ['green', 'green']);
    assert.deepEqual([0, 1].map((i) => readFileSync(topo.apps[0].stateFiles[i], 'utf8')), states, 'a state file recorded a switch that was undone');
    const snapshot = await takeSnapshot(runner, config);
    assert.deepEqual(snapshot.apps[0].drift, []);
  });

  it("a canary of app 1 adds one rule on each load balancer and records it on each; ending it fails on the second LB, which puts the first back; ended, both configs are as before, byte for byte", async () => {
    const before = configs();
    const canaryOn = (i: number) => (JSON.parse(readFileSync(topo.apps[0].stateFiles[i], 'utf8')) as { canary?: { slot: string; percent: number } }).canary;
    await canary(context('demo'), { percent: 10 });
    const withRule = configs();
    for (const [i, text] of withRule.entries()) {
      const added = text.split('\n').filter((line) => !before[i].split('\n').includes(line));
      assert.equal(added.length, 1, `${topo.loadBalancers[i].host}: ${added.join(' | ')}`);
      assert.match(added[0], /use_backend demo_blue if is_demo .*lt 10 .*# bluegreen canary demo/);
      assert.equal(text.replace(`${added[0]}\n`, ''), before[i], `${topo.loadBalancers[i].host}: more than the rule changed`);
      assert.deepEqual([canaryOn(i)?.slot, canaryOn(i)?.percent], ['blue', 10], `the canary is not recorded on ${topo.loadBalancers[i].host}`);
    }
    assert.deepEqual(await servedThroughEach('app2'), ['blue', 'blue'], "app 2's clients were split");

    const secondFails = (yaml: string) => yaml.replace(`reload: ${topo.loadBalancers[1].reloadCommand}`, 'reload: "exit 1"');
    const failing = context('demo', secondFails);
    await assert.rejects(canary(failing, { end: true }), (e: unknown) => {
      assert.ok(e instanceof WorkflowError, String(e));
      assert.equal(e.host, 'lab-lb2');
      assert.match(e.message, /The load balancers changed before it were put back: lab-lb: LIVE is GREEN/);
      return true;
    });
    assert.ok((failing.reporter as RecordingReporter).lines.some((l) => l.startsWith('ok Remove the canary rule from shared on lab-lb and reload HAProxy')), 'the first LB was not changed before the second failed');
    assert.deepEqual(configs(), withRule, 'the pair was left with the rule on one side only');

    await canary(context('demo'), { end: true });
    assert.deepEqual(configs(), before);
    assert.deepEqual([0, 1].map(canaryOn), [undefined, undefined], 'a state file still records the canary');
    assert.deepEqual((await takeSnapshot(runner, config)).apps[0].drift, []);
  });

  it('a LIVE restart on two servers: refused unless its name is typed; then one server at a time, each drained on both load balancers and back up before the next, a steady client through each frontend failing no request', async function () {
    this.timeout(240_000);
    const live = (await takeSnapshot(runner, config)).apps.find((a) => a.name === 'demo')!.live!;
    const hosts = [live, `${live}-2`];
    const pids = hosts.map(appPid);
    const asked: ConfirmRequest[] = [];
    const typing = (typed: string): ConfirmPort => ({ confirm: async (r) => (asked.push(r), typedSlotMatches(r, typed) ? { ok: true, reason: 'a memory leak', via: 'topology test' } : { ok: false }) });
    await assert.rejects(restart({ ...context('demo'), confirm: typing('yes') }, 'live'), /not confirmed/);
    assert.equal(asked[0].typeToConfirm, live.toUpperCase());
    assert.match(asked[0].detail, /One server at a time: each is drained in HAProxy/);
    assert.deepEqual(hosts.map(appPid), pids, 'LIVE was restarted without its name typed');
    // A server a person put in maintenance: taking another out would leave none; refused before anything (found by a review).
    const second = parseShowStat(await askSocket(topo.loadBalancers[1].adminSocket, 'show stat')).find((l) => l.backend === `demo_${live}` && l.server !== live)!.server;
    await askSocket(topo.loadBalancers[1].adminSocket, `set server demo_${live}/${second} state maint`);
    try {
      await assert.rejects(restart({ ...context('demo'), confirm: typing(live.toUpperCase()) }, 'live'), new RegExp(`not every server of demo_${live} is up in HAProxy \\(lab-lb2: ${second} MAINT\\)`));
      assert.deepEqual(hosts.map(appPid), pids, 'LIVE was restarted while one of its servers was out');
    } finally {
      await askSocket(topo.loadBalancers[1].adminSocket, `set server demo_${live}/${second} state ready`);
    }
    // Back from maintenance, HAProxy's checks must pass again (rise 2) before it is UP.
    for (let i = 0; i < 100; i++) {
      const line = parseShowStat(await askSocket(topo.loadBalancers[1].adminSocket, 'show stat')).find((l) => l.backend === `demo_${live}` && l.server === second);
      if (line?.status === 'UP') break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const loads = topo.loadBalancers.map((lb) => generateLoad(`${lb.frontendUrl}/api/health`, 200, 4));
    // HAProxy's own view, every 50 ms on each LB: the lab's app ends gracefully and HAProxy retries a refused connection, so no failed request alone would show a restart that skipped the drain.
    const seen = topo.loadBalancers.map(() => [] as RuntimeServer[][]);
    let watching = true;
    const watchers = topo.loadBalancers.map(async (lb, i) => {
      while (watching) {
        seen[i].push(parseShowStat(await askSocket(lb.adminSocket, 'show stat')).filter((l) => l.backend === `demo_${live}`));
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    const ctx = { ...context('demo'), confirm: typing(live.toUpperCase()) };
    const restarted = await restart(ctx, 'live').catch((e: unknown) => e);
    watching = false;
    await Promise.all(watchers);
    const samples = await Promise.all(loads.map((l) => l.stop()));
    if (restarted instanceof Error) throw restarted;
    samples.forEach((s, i) => assert.ok(s.length > 100 && s.every((x) => x.ok), `${topo.loadBalancers[i].host}: ${s.filter((x) => !x.ok).length} of ${s.length} requests failed`));
    assert.ok(hosts.map(appPid).every((pid, i) => pid !== pids[i]), 'a LIVE server was not restarted');
    for (const [i, views] of seen.entries()) {
      const where = topo.loadBalancers[i].host;
      const servers = [...new Set(views.flat().map((l) => l.server))];
      assert.equal(servers.length, 2, where);
      // Each LIVE server was drained on this LB, never both at once, and HAProxy never saw one down.
      for (const server of servers) assert.ok(views.some((v) => v.find((l) => l.server === server)?.status === 'DRAIN'), `${where}: ${server} was never drained`);
      assert.ok(views.every((v) => v.filter((l) => l.status !== 'UP').length <= 1), `${where}: both servers out at once`);
      // A check may fail while the drained server restarts ("DRAIN 1/2"); it never went down.
      assert.deepEqual([...new Set(views.flat().map((l) => l.status))].filter((x) => !/^(UP|DRAIN)( \d+\/\d+)?$/.test(x)), [], `${where}: HAProxy saw a LIVE server down`);
      assert.ok(views.at(-1)!.every((l) => l.status === 'UP'), `${where}: a server was left drained`);
    }
    const lines = (ctx.reporter as RecordingReporter).lines;
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    const names = config.apps[0].slots[live].servers.map((s) => s.name);
    const order = [`Drain ${names[0]} in HAProxy`, `Put ${names[0]} back in HAProxy`, `Drain ${names[1]} in HAProxy`, `Put ${names[1]} back in HAProxy`].map(at);
    assert.ok(order.every((n, i) => n >= 0 && (i === 0 || n > order[i - 1])), `not one at a time:\n${lines.join('\n')}`);
    assert.deepEqual(await servedThroughEach('demo'), [live, live]);
    // Recorded where the app's lock is held: the first load balancer.
    const history = (JSON.parse(readFileSync(topo.apps[0].stateFiles[0], 'utf8')) as { history: { kind: string; reason?: string }[] }).history;
    assert.deepEqual([history.at(-1)!.kind, history.at(-1)!.reason], ['restart', 'a memory leak']);
  });
});
