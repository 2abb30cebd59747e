// The reliability matrix (../shared/RELIABILITY.md), rows that need a fault injected for
// real: a TCP proxy in front of GREEN's sshd that stalls, blackholes or resets the link.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FaultProxy } from '../../lab/faultProxy';
import { isBlueGreenError } from '../../src/core/errors';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { takeSnapshot } from '../../src/core/status/refresh';
import { preApproved } from '../../src/core/plan/confirm';
import { deploy } from '../../src/core/workflows/deploy';
import { OperationContext, WorkflowError } from '../../src/core/workflows/parts/operation';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { assertInvariants, labConfig, labRunner, pm2Info, readState, resetLab, routeByHand } from './helpers';
import { lab } from './setup';
import { redact } from '../../src/core/redact';

const PROXY_PORT = 2223;

describe('reliability matrix: injected faults (real sshd behind a fault proxy)', function () {
  this.timeout(180_000);
  let proxy: FaultProxy;
  let sshConfig: string;
  let knownHosts: string;
  let runner: Ssh2Runner;
  const proxied = (y: string) => y.replace('ssh: lab-green', 'ssh: green-via-proxy');

  before(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-faults-'));
    const green = lab().hosts.green;
    proxy = await FaultProxy.start(green.address, PROXY_PORT, { host: green.address, port: green.sshPort });
    const key = readFileSync(path.join(green.home, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    knownHosts = path.join(dir, 'known_hosts');
    copyFileSync(lab().knownHosts, knownHosts);
    writeFileSync(knownHosts, `${readFileSync(knownHosts, 'utf8')}[${green.address}]:${PROXY_PORT} ${key}\n`);
    sshConfig = path.join(dir, 'ssh_config');
    writeFileSync(sshConfig, [`Host green-via-proxy`, `  HostName ${green.address}`, `  Port ${PROXY_PORT}`, `  IdentityFile ${lab().clientKey}`, '  IdentityAgent none', '', `Include ${lab().sshConfig}`, ''].join('\n'));
  });
  beforeEach(() => {
    proxy.mode = 'pass';
    runner = labRunner({ sshConfigFile: sshConfig, knownHostsFile: knownHosts, keepaliveIntervalMs: 1000, connectTimeoutMs: 3000 });
  });
  afterEach(() => runner.dispose());
  after(async function () {
    this.timeout(120_000);
    await proxy.stop();
    await resetLab();
  });

  function ctx(edit: (y: string) => string = proxied, reporter = new RecordingReporter()): OperationContext {
    return { runner, app: labConfig('default', edit).apps[0], reporter, confirm: preApproved(), who: redact('faults@lab') };
  }

  /** A reporter that injects `fault` when the named step starts. */
  function faultAt(stepTitle: string, fault: () => void): RecordingReporter {
    const reporter = new RecordingReporter();
    const step = reporter.step.bind(reporter);
    reporter.step = (title, host) => {
      step(title, host);
      if (title === stepTitle) fault();
    };
    return reporter;
  }

  it('row 5: a stalled handshake fails after the ready timeout', async () => {
    proxy.mode = 'stall';
    const started = Date.now();
    await assert.rejects(runner.run({ ssh: 'green-via-proxy' }, 'true'), (e: unknown) => isBlueGreenError(e, 'timeout') && /no SSH handshake/.test((e as Error).message));
    const took = Date.now() - started;
    assert.ok(took >= 2500 && took < 10000, `gave up after ${took} ms`);
  });

  it('row 6: a link blackholed during a deploy fails within ~30 s; LIVE untouched; STANDBY unknown', async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const blue = pm2Info('blue');
    const started = Date.now();
    await assert.rejects(deploy(ctx(proxied, faultAt('Build', () => (proxy.mode = 'blackhole')))), (e: unknown) => e instanceof WorkflowError && /LIVE is unchanged: BLUE/.test(e.message));
    assert.ok(Date.now() - started < 30000, `took ${Date.now() - started} ms to notice`);
    assert.deepEqual(pm2Info('blue'), blue);
    const app = (await takeSnapshot(runner, { ...labConfig('default', proxied), apps: [labConfig('default', proxied).apps[0]] })).apps[0];
    const green = app.slots.green;
    assert.equal(green.reachable, false);
    assert.equal(green.health, 'unknown');
    await assertInvariants('blue', state);
  });

  it('row 7: a connection reset mid-deploy fails cleanly, and a second deploy succeeds', async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    await assert.rejects(deploy(ctx(proxied, faultAt('Install dependencies', () => setTimeout(() => proxy.reset(), 50)))), (e: unknown) => e instanceof WorkflowError && /LIVE is unchanged: BLUE/.test(e.message));
    await assertInvariants('blue', state);
    const again = await deploy(ctx());
    assert.equal(again.slot, 'green');
    await assertInvariants('blue', state);
  });

  it('row 8: a remote command that hangs times out, its processes are killed, nothing switches', async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const seconds = `${600 + (process.pid % 300)}.${Date.now() % 1000}`;
    const hanging = (y: string) => proxied(y).replace('build: npm run build', `build: sleep ${seconds}`);
    const short = labRunner({ sshConfigFile: sshConfig, knownHostsFile: knownHosts, commandTimeoutMs: 3000 });
    try {
      await assert.rejects(deploy({ ...ctx(hanging), runner: short }), (e: unknown) => isBlueGreenError(e, 'timeout') && /Build failed on green-via-proxy/.test((e as Error).message));
    } finally {
      short.dispose();
    }
    // [.] keeps pgrep's own shell from matching the pattern.
    const left = execFileSync('sh', ['-c', `pgrep -f 'sleep ${seconds.replace('.', '[.]')}' || true`]).toString().trim();
    assert.equal(left, '', 'the hung build is still running');
    await assertInvariants('blue', state);
  });

  it("the soak's deeper question (#19): the lock lost while a step runs on STANDBY stops that step, so no other operation changes STANDBY alongside it", async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const seconds = `${700 + (process.pid % 300)}.${Date.now() % 1000}`;
    const slow = (y: string) => y.replace('build: npm run build', `build: sleep ${seconds}`);
    const lockFile = `${lab().stateFile}.lock`;
    const started = Date.now();
    // The lock's holder on the LB host dies (its connection, as far as the lock knows, is gone) once the build runs on GREEN.
    const attempt = deploy(ctx(slow, faultAt('Build', () => setTimeout(() => execFileSync('kill', ['-KILL', readFileSync(lockFile, 'utf8').split('\n')[1]]), 300))));
    await assert.rejects(attempt, (e: unknown) => {
      assert.ok(isBlueGreenError(e, 'connection-lost'), String(e));
      assert.match((e as Error).message, /the lock on the LB host was lost \(connection dropped\); the step running then was stopped/);
      assert.match((e as Error).message, /LIVE is unchanged: BLUE/);
      return true;
    });
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    const left = () => execFileSync('sh', ['-c', `pgrep -f 'sleep ${seconds.replace('.', '[.]')}' || true`]).toString().trim();
    for (const until = Date.now() + 5000; left() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    assert.equal(left(), '', 'the build went on after the lock was lost');
    await assertInvariants('blue', state);
  });

  it("the soak's deeper question (#19): a step whose connection is reset does not go on on the host: it is stopped within seconds", async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const seconds = `${1000 + (process.pid % 300)}.${Date.now() % 1000}`;
    const slow = (y: string) => proxied(y).replace('build: npm run build', `build: sleep ${seconds}`);
    const left = () => execFileSync('sh', ['-c', `pgrep -f 'sleep ${seconds.replace('.', '[.]')}' || true`]).toString().trim();
    let running = '';
    await assert.rejects(deploy(ctx(slow, faultAt('Build', () => setTimeout(() => ((running = left()), proxy.reset()), 500)))), (e: unknown) => e instanceof WorkflowError && /LIVE is unchanged: BLUE/.test(e.message));
    assert.notEqual(running, '', 'the build was not running when the link was reset');
    const reset = Date.now();
    for (; left() && Date.now() - reset < 10_000; ) await new Promise((r) => setTimeout(r, 100));
    assert.equal(left(), '', 'the build still runs on GREEN 10 s after its connection was reset');
    await assertInvariants('blue', state);
  });

  it('row 15: a missing stats socket is a clear error, and nothing is written', async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const app = labConfig('default', (y) => y.replace(/statsSocket: .*/, 'statsSocket: /nonexistent/haproxy.sock')).apps[0];
    const snap = (await takeSnapshot(runner, { ...labConfig(), apps: [app] })).apps[0];
    assert.match(snap.lb.runtime?.error ?? '', /stats socket \/nonexistent\/haproxy\.sock/);
    assert.equal(snap.live, 'blue', 'the routing is still read from the config');
    await assertInvariants('blue', state);
  });

  it('row 22: roles flipped by someone else mid-session: a deploy aimed at the old STANDBY is refused', async () => {
    const before = readState();
    await routeByHand('green');
    try {
      await assert.rejects(deploy(ctx((y) => y), { target: 'green' }), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /GREEN is LIVE/.test(e.message));
    } finally {
      await routeByHand('blue');
    }
    assert.deepEqual(readState(), before);
  });
});
