import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { isBlueGreenError } from '../../src/core/errors';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { ConfirmPort, preApproved } from '../../src/core/plan/confirm';
import { deploy } from '../../src/core/workflows/deploy';
import { acquireLock } from '../../src/core/workflows/parts/lock';
import { OperationContext, WorkflowError } from '../../src/core/workflows/parts/operation';
import { reconcile } from '../../src/core/workflows/reconcile';
import { release } from '../../src/core/workflows/release';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { sync } from '../../src/core/workflows/sync';
import { takeSnapshot } from '../../src/core/status/refresh';
import { severity } from '../../src/core/status/snapshot';
import { assertInvariants, served, labConfig, labRunner, pm2Info, publishRelease, readState, reloadHaproxy, requestLoop, resetLab, routeByHand, servedBy } from './helpers';
import { lab } from './setup';
import { FRONTEND_PORT } from '../../lab/labFiles';
import { redact } from '../../src/core/redact';

/** Waits for HAProxy's checks to bring a slot back up after it was made unhealthy. */
async function untilServedBy(slot: string): Promise<void> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (await servedBy().catch(() => '') === slot) return;
  }
  assert.fail(`${slot} did not come back through the frontend`);
}

/** A reporter that does `action` as a step whose title starts with `prefix` begins. */
function onStep(prefix: string, action: () => void): RecordingReporter {
  const reporter = new RecordingReporter();
  const step = reporter.step.bind(reporter);
  reporter.step = (title, host) => {
    if (title.startsWith(prefix)) action();
    step(title, host);
  };
  return reporter;
}

function context(runner: Ssh2Runner, edit?: (y: string) => string, reporter = new RecordingReporter()): OperationContext & { reporter: RecordingReporter } {
  return { runner, app: labConfig('default', edit).apps[0], reporter, confirm: preApproved(), who: redact('tester@lab') };
}

describe('workflows against the lab (real sshd, HAProxy, pm2, git)', function () {
  this.timeout(180_000);
  let runner: Ssh2Runner;
  beforeEach(() => {
    runner = labRunner();
  });
  afterEach(() => runner.dispose());
  // These tests move the lab far from its starting state; leave a fresh one behind.
  after(async function () {
    this.timeout(120_000);
    await resetLab();
  });

  it('row 22: refuses a deploy aimed at the LIVE slot, touching nothing', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const before = pm2Info('blue');
    const ctx = context(runner);
    await assert.rejects(deploy(ctx, { target: 'blue' }), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /BLUE is LIVE/.test(e.message) && /LIVE is unchanged: BLUE v1\.1\.0/.test(e.message));
    assert.deepEqual(pm2Info('blue'), before);
    assert.equal(await served(), 'blue 1.1.0');
    await assertInvariants('blue', stateAtStart);
  });

  it('row 11: refuses a release while STANDBY is unhealthy', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const unhealthy = path.join(lab().hosts.green.home, 'unhealthy');
    writeFileSync(unhealthy, '');
    try {
      await assert.rejects(release(context(runner)), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /GREEN is not healthy/.test(e.message));
      assert.equal(await served(), 'blue 1.1.0');
      assert.equal(readState().switchCount, 0);
    } finally {
      rmSync(unhealthy);
    }
    await assertInvariants('blue', stateAtStart);
  });

  it('hardening: a second rule sending /api to STANDBY is a traffic split: status names it, deploy, sync and even an emergency release refuse, nothing changes (RELIABILITY row 23)', async () => {
    const file = lab().haproxyConfig;
    const original = readFileSync(file, 'utf8');
    const live = await servedBy();
    const standby = live === 'blue' ? 'green' : 'blue';
    const split = original.replace(`    default_backend demo_${live}`, `    use_backend demo_${standby} if { path_beg /api }\n    default_backend demo_${live}`);
    assert.notEqual(split, original);
    writeFileSync(file, split);
    await reloadHaproxy();
    try {
      // What users get: /api from "STANDBY", the rest from LIVE.
      for (const until = Date.now() + 10_000; (await servedBy()) !== standby; await new Promise((r) => setTimeout(r, 50))) assert.ok(Date.now() < until, 'HAProxy did not take the split config');
      const stateAtStart = readFileSync(lab().stateFile, 'utf8');
      const pm2Before = pm2Info(standby);
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      assert.equal(severity(app), 'error');
      const drift = app.drift.find((d) => d.kind === 'mixed-routing');
      assert.match(drift?.message ?? '', new RegExp(`traffic is split: .*line \\d+: "use_backend demo_${standby} if \\{ path_beg /api \\}"`));
      const refusedSplit = (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /traffic is split/.test(e.message);
      await assert.rejects(deploy(context(runner)), refusedSplit);
      await assert.rejects(sync(context(runner)), refusedSplit);
      await assert.rejects(release({ ...context(runner), confirm: preApproved('split brain') }, { emergency: true }), refusedSplit);
      assert.equal(readFileSync(file, 'utf8'), split, 'the config changed');
      assert.equal(readFileSync(lab().stateFile, 'utf8'), stateAtStart, 'the state file changed');
      assert.deepEqual(pm2Info(standby), pm2Before, 'STANDBY was restarted');
    } finally {
      writeFileSync(file, original);
      await reloadHaproxy();
      await untilServedBy(live);
    }
  });

  it('a bluegreen.yaml edited while the dialog is on screen: the yes does not count, nothing is switched', async () => {
    const live = (await servedBy()) as 'blue' | 'green';
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const configAtStart = readFileSync(lab().haproxyConfig, 'utf8');
    const file = lab().configFile;
    const yaml = readFileSync(file, 'utf8');
    const editing: ConfirmPort = {
      confirm: async (request) => {
        assert.ok(request.binding?.configSha256, 'the request names the config it was judged by');
        writeFileSync(file, `${yaml}# edited by an agent while the person read the dialog\n`);
        return { ok: true, via: 'editor dialog' };
      },
    };
    try {
      await assert.rejects(release({ ...context(runner), confirm: editing }), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /changed since it was approved: .*bluegreen\.yaml was edited; nothing was switched/.test(e.message));
    } finally {
      writeFileSync(file, yaml);
    }
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), configAtStart, 'the config changed');
    await assertInvariants(live, stateAtStart);
  });

  it("STANDBY's checkout moved while the dialog is on screen: the yes does not count, nothing is switched", async () => {
    const live = (await servedBy()) as 'blue' | 'green';
    const standby = live === 'blue' ? 'green' : 'blue';
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const checkout = path.join(lab().hosts[standby].home, 'app');
    const head = execFileSync('git', ['-C', checkout, 'rev-parse', 'HEAD']).toString().trim();
    const moving: ConfirmPort = {
      confirm: async () => {
        execFileSync('git', ['-C', checkout, '-c', 'user.name=t', '-c', 'user.email=t@bluegreen.invalid', 'commit', '-q', '--allow-empty', '-m', 'changed behind the dialog']);
        return { ok: true, via: 'editor dialog' };
      },
    };
    try {
      await assert.rejects(release({ ...context(runner), confirm: moving }), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && new RegExp(`changed since it was approved: ${standby.toUpperCase()} now runs [0-9a-f]{7}, not ${head.slice(0, 7)}`).test(e.message));
    } finally {
      execFileSync('git', ['-C', checkout, 'reset', '-q', '--hard', head]);
    }
    await assertInvariants(live, stateAtStart);
  });

  it('smoke tests: one STANDBY fails refuses a release and changes nothing; an emergency release goes past it and records that; the status shows each result', async () => {
    const live = (await servedBy()) as 'blue' | 'green';
    const standby = live === 'blue' ? 'green' : 'blue';
    // The lab app's home page says "demo 1.1.0 on <slot>": this check passes on LIVE only.
    const smoke = (y: string) => y.replace('    release:\n', `    smoke:\n      - { name: health is ok, path: /api/health, json: { field: status, equals: ok } }\n      - { name: home page, path: /, contains: "on ${live}", maxMs: 2000 }\n    release:\n`);
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const configAtStart = readFileSync(lab().haproxyConfig, 'utf8');
    const app = (await takeSnapshot(runner, labConfig('default', smoke))).apps[0];
    assert.deepEqual(app.slots[standby].smoke?.map((r) => `${r.name} ${r.ok}`), ['health is ok true', 'home page false']);
    assert.equal(app.slots[standby].smoke?.[1].detail, `the body does not contain "on ${live}"`);
    assert.ok(app.slots[live].smoke?.every((r) => r.ok));
    assert.equal(severity(app), 'warning');
    await assert.rejects(release(context(runner, smoke)), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && new RegExp(`STANDBY ${standby.toUpperCase()} fails 1 of 2 smoke tests: home page \\(the body does not contain "on ${live}"\\); traffic stays on ${live.toUpperCase()}`).test(e.message));
    assert.equal(readFileSync(lab().stateFile, 'utf8'), stateAtStart, 'the state file changed');
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), configAtStart, 'the config changed');
    const ctx = { ...context(runner, smoke), confirm: preApproved('the home page check is wrong') };
    const r = await release(ctx, { emergency: true });
    assert.equal(r.to, standby);
    const last = (readState().history as Record<string, unknown>[]).pop()!;
    assert.match(String(last.overrode), /^1 of 2 smoke tests failed: home page/);
    await release(context(runner), { kind: 'rollback' });
    assert.equal(await servedBy(), live);
    // The tests after this one expect the lab's first state file (no switches yet).
    writeFileSync(lab().stateFile, stateAtStart);
    await assertInvariants(live, stateAtStart);
  });

  it('row 13: refuses an invalid candidate config: nothing reloaded, old config in place', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const cfg = readFileSync(lab().haproxyConfig, 'utf8');
    const missing = context(runner, (y) => y.replace('backend: demo_green', 'backend: demo_nowhere'));
    await assert.rejects(release(missing), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /has no backend "demo_nowhere"/.test(e.message) && /LIVE is unchanged: BLUE/.test(e.message));
    // A validator that rejects the candidate (here: any config routing to demo_green).
    const rejecting = context(runner, (y) => y.replace(/(\n\s+)reload: (.*)/, `$1reload: $2$1validate: "! grep -q 'default_backend demo_green' {file}"`));
    assert.match(rejecting.app.loadBalancer.validate, /^! grep/);
    await assert.rejects(release(rejecting), (e: unknown) => e instanceof WorkflowError && /failed validation/.test(e.message) && /LIVE is unchanged: BLUE/.test(e.message));
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), cfg);
    assert.deepEqual(readdirSync(path.dirname(lab().haproxyConfig)).filter((f) => f.endsWith('.bluegreen-new')), [], 'a candidate was left behind');
    assert.equal(await served(), 'blue 1.1.0');
    await assertInvariants('blue', stateAtStart);
  });

  it('row 14: detects a failed reload and puts the previous config back', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const cfg = readFileSync(lab().haproxyConfig, 'utf8');
    const ctx = context(runner, (y) => y.replace(/reload: .*/, 'reload: "false"'));
    await assert.rejects(release(ctx), (e: unknown) => e instanceof WorkflowError && /reload failed/.test(e.message));
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), cfg);
    assert.equal(await served(), 'blue 1.1.0');
    assert.equal(readState().switchCount, 0);
    await assertInvariants('blue', stateAtStart);
  });

  it('reloads again when HAProxy did not take the reload (the old LIVE still answers), then verifies', async () => {
    // A reload that does nothing the first time, as a signal HAProxy missed would.
    const marker = path.join(lab().dir, 'reload-skipped-once');
    rmSync(marker, { force: true });
    const skipFirst = (y: string) => y.replace(/reload: (.*)/, (_m, reload: string) => `reload: ${JSON.stringify(`if [ -e ${marker} ]; then ${reload}; else touch ${marker}; fi`)}`);
    try {
      const ctx = context(runner, skipFirst);
      const result = await release(ctx);
      assert.deepEqual([result.from, result.to], ['blue', 'green']);
      assert.equal(await served(), 'green 1.1.0');
      assert.ok(ctx.reporter.lines.some((l) => /^w BLUE still answers through the frontend \d+ ms after the reload: HAProxy may have missed the reload signal; reloading again$/.test(l)), ctx.reporter.lines.join('\n'));
    } finally {
      rmSync(marker, { force: true });
    }
    const back = await release(context(runner), { kind: 'rollback' });
    assert.deepEqual([back.from, back.to], ['green', 'blue']);
    await assertInvariants('blue');
  });

  it('a Cancel while HAProxy is being switched lets the switch finish, then puts traffic back', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const cfg = readFileSync(lab().haproxyConfig, 'utf8');
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    const step = reporter.step.bind(reporter);
    reporter.step = (title, host) => {
      step(title, host);
      if (title.startsWith('Switch ')) controller.abort();
    };
    const ctx = { ...context(runner, undefined, reporter), signal: controller.signal };
    await assert.rejects(release(ctx), (e: unknown) => e instanceof WorkflowError && e.reason === 'aborted' && /then undone: .*LIVE is BLUE/.test(e.message));
    assert.ok(reporter.lines.some((l) => /^ok Switch demo and reload HAProxy/.test(l)), `the switch was cut short:\n${reporter.lines.join('\n')}`);
    assert.ok(reporter.lines.some((l) => /^ok Verify GREEN answers through the frontend/.test(l)), 'the switch was undone before HAProxy served it');
    // HAProxy settles on the restored config: it still serves BLUE a moment later.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), cfg);
    assert.equal(await served(), 'blue 1.1.0');
    await assertInvariants('blue', stateAtStart);
  });

  it('row 16: refuses a release on drift until the state file is reconciled, then reconciles it', async () => {
    const file = lab().stateFile;
    writeFileSync(file, JSON.stringify({ prod: 'green', live: 'green', standby: 'blue', switchCount: 7, owner: 'ops' }));
    await assert.rejects(release(context(runner)), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /Reconcile the state file first/.test(e.message));
    assert.equal(await served(), 'blue 1.1.0');
    const r = await reconcile(context(runner));
    assert.deepEqual([r.live, r.changed], ['blue', true]);
    const state = readState();
    assert.deepEqual([state.live, state.prod, state.standby, state.switchCount, state.owner], ['blue', 'blue', 'green', 7, 'ops']);
    assert.equal(JSON.parse(readFileSync(`${file}.bluegreen-before-reconcile`, 'utf8')).live, 'green');
    const again = await reconcile(context(runner));
    assert.deepEqual([again.live, again.changed], ['blue', false]);
    writeFileSync(file, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', switchCount: 0 }));
    await assertInvariants('blue');
  });

  it("row 16, the other direction: routes traffic back to the slot the state file records, as a switch, and says so in the history", async () => {
    const file = lab().stateFile;
    writeFileSync(file, JSON.stringify({ prod: 'green', live: 'green', standby: 'blue', switchCount: 7, owner: 'ops' }));
    const ctx = context(runner);
    const r = await release(ctx, { routeBack: true });
    assert.deepEqual([r.from, r.to], ['blue', 'green']);
    assert.equal(await served(), 'green 1.1.0');
    assert.match(readFileSync(lab().haproxyConfig, 'utf8'), /default_backend demo_green\b/);
    const state = readState();
    const entry = (state.history as Record<string, unknown>[]).at(-1)!;
    assert.deepEqual([state.live, state.switchCount, state.owner, entry.from, entry.to, entry.kind, entry.routedBack], ['green', 8, 'ops', 'blue', 'green', 'release', true]);
    // With state file and HAProxy agreeing again, there is nothing left to route back to.
    await assert.rejects(release(context(runner), { routeBack: true }), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /nothing to route back to/.test(e.message));
    assert.equal(await served(), 'green 1.1.0');
    const back = await release(context(runner), { kind: 'rollback' });
    assert.deepEqual([back.from, back.to], ['green', 'blue']);
    writeFileSync(file, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', switchCount: 0 }));
    await assertInvariants('blue');
  });

  it('row 12: switches back automatically when the new LIVE fails right after the switch', async () => {
    const unhealthy = path.join(lab().hosts.green.home, 'unhealthy');
    // GREEN starts failing the moment the watch window opens.
    const reporter = onStep('Watch GREEN', () => writeFileSync(unhealthy, ''));
    const watching = (y: string) => y.replace('watchSeconds: 2', 'watchSeconds: 10');
    try {
      await assert.rejects(release(context(runner, watching, reporter)), (e: unknown) => e instanceof WorkflowError && /switched back automatically: LIVE is BLUE/.test(e.message));
      assert.equal(await served(), 'blue 1.1.0');
      const state = readState();
      assert.equal(state.live, 'blue');
      assert.deepEqual((state.history as { kind: string; from: string; to: string }[]).map((h) => `${h.kind} ${h.from}->${h.to}`), ['release blue->green', 'auto-rollback green->blue']);
    } finally {
      rmSync(unhealthy, { force: true });
      writeFileSync(lab().stateFile, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', switchCount: 0 }));
    }
    await assertInvariants('blue');
  });

  it('switches back automatically when HAProxy counts too many 5xx from the new LIVE, though its health check passes; the history says why', async () => {
    const failing = path.join(lab().hosts.green.home, 'failing');
    // GREEN's pages start failing (its health endpoint does not) as the watch opens.
    const reporter = onStep('Watch GREEN', () => writeFileSync(failing, ''));
    const load = requestLoop(`${lab().frontendUrl}/`);
    try {
      await assert.rejects(release(context(runner, (y) => y.replace('watchSeconds: 2', 'watchSeconds: 20'), reporter)), (e: unknown) => e instanceof WorkflowError && /answered 5xx .*over release\.watch\.max5xxPercent 5%.*switched back automatically: LIVE is BLUE/s.test(e.message));
      assert.equal(await served(), 'blue 1.1.0');
      const last = (readState().history as { kind: string; reason?: string }[]).at(-1);
      assert.equal(last?.kind, 'auto-rollback');
      assert.match(last?.reason ?? '', /GREEN is failing after the switch: \d+ of \d+ requests HAProxy sent to it answered 5xx/);
      assert.ok(!reporter.lines.some((l) => /failed \d+ checks in a row/.test(l)), 'the health checks, not the counters, switched back');
    } finally {
      await load.stop();
      rmSync(failing, { force: true });
      writeFileSync(lab().stateFile, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', switchCount: 0 }));
    }
    await assertInvariants('blue');
  });

  it('a Cancel during the watch stops watching, keeps the switch, and removes the watch record (nothing left to resume)', async () => {
    const controller = new AbortController();
    const reporter = onStep('Watch GREEN', () => setTimeout(() => controller.abort(), 1500));
    try {
      await release({ ...context(runner, (y) => y.replace('watchSeconds: 2', 'watchSeconds: 60'), reporter), signal: controller.signal }).catch((e: unknown) => e);
      assert.equal(await served(), 'green 1.1.0');
      const state = readState();
      assert.equal(state.live, 'green');
      assert.equal(state.watch, undefined, 'the watch record was left behind after a Cancel');
      assert.ok(reporter.lines.some((l) => l.includes('End the watch in the state file')), reporter.lines.slice(-10).join('\n'));
    } finally {
      await routeByHand('blue');
      writeFileSync(lab().stateFile, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', switchCount: 0 }));
    }
    await assertInvariants('blue');
  });

  it('a deploy whose hook switches the routing on the LB says so as an error, never "LIVE is unchanged"', async () => {
    const live = (await servedBy()) as 'blue' | 'green';
    const standby = live === 'blue' ? 'green' : 'blue';
    const file = lab().haproxyConfig;
    const original = readFileSync(file, 'utf8');
    const flip = `sed -i 's/default_backend demo_${live}/default_backend demo_${standby}/' ${file} && ${lab().reloadCommand}`;
    const hooked = (y: string) => y.replace('    deploy:\n', `    deploy:\n      hooks:\n        backup:\n          - { host: lb, run: ${JSON.stringify(flip)} }\n`);
    const servingNow = pm2Info(standby);
    try {
      await assert.rejects(deploy(context(runner, hooked)), (e: unknown) => {
        assert.ok(e instanceof WorkflowError && e.reason === 'routing-changed', String(e));
        assert.match(e.message, new RegExp(`nothing here switched traffic, yet on lab-lb, line \\d+ of .*haproxy\\.cfg now routes frontend "demo" to demo_${standby} \\(before: demo_${live}\\)`));
        assert.doesNotMatch(e.message, /LIVE is unchanged/);
        return true;
      });
      assert.deepEqual(pm2Info(standby), servingNow, 'the deploy went on to restart the slot the hook made LIVE');
    } finally {
      writeFileSync(file, original);
      await reloadHaproxy();
      await untilServedBy(live);
    }
  });

  it('runs backup and before-migrate hooks on other hosts; a failing hook stops the deploy before STANDBY changes', async () => {
    const marker = path.join(lab().dir, `hook-${Date.now()}`);
    const withHooks = (run: string) => (y: string) =>
      y
        .replace('apps:\n', 'hosts:\n  db:\n    ssh: lab-lb\napps:\n')
        .replace('    deploy:\n', `    deploy:\n      migrate: echo migrating {slot}\n      hooks:\n        backup:\n          - { host: db, run: "${run}" }\n        beforeMigrate:\n          - { host: db, run: "echo dump-before-migrate >> ${marker}" }\n`);
    const ok = context(runner, withHooks(`echo backup {slot} on $BLUEGREEN_LAB_HOST >> ${marker}`));
    await deploy(ok, { migrate: true });
    assert.equal(readFileSync(marker, 'utf8'), 'backup green on lb\ndump-before-migrate\n');
    const order = ok.reporter.lines.filter((l) => l.startsWith('== ')).map((l) => l.replace(/ \(.*\)$/, ''));
    assert.deepEqual(order.slice(order.indexOf('== Back up the current release')).map((l) => l.replace(/ at [0-9a-f]{7}$/, ' at <commit>')), ['== Back up the current release', '== Backup hook on db', '== Fetch and check out main at <commit>', "== Check the migrations since BLUE's commit", '== Install dependencies', '== Before-migrate hook on db', '== Run migrations', '== Build', '== Restart demo-green', '== Wait for GREEN to be healthy']);

    const greenHead = () => execFileSync('git', ['-C', path.join(lab().hosts.green.home, 'app'), 'rev-parse', 'HEAD']).toString().trim();
    const commitBefore = greenHead();
    await assert.rejects(deploy(context(runner, withHooks('exit 7')), { ref: 'v1.0.0' }), (e: unknown) => e instanceof WorkflowError && /Backup hook on db failed on lab-lb: exit code 7/.test(e.message));
    assert.equal(greenHead(), commitBefore, 'STANDBY was changed after a failed hook');
  });

  it('row 17: tells a second operator who holds the lock', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const holder = labRunner();
    const ctx = context(holder);
    const lock = await acquireLock({ ...ctx, who: redact('alice@laptop') }, 'release', 'Nothing was changed.');
    try {
      await assert.rejects(release(context(runner)), (e: unknown) => isBlueGreenError(e, 'locked') && /locked by alice@laptop since .* \(release\)/.test((e as Error).message));
    } finally {
      await lock.release();
      holder.dispose();
    }
    // Released: the next operation takes the lock at once.
    const again = await acquireLock(context(runner), 'check', 'Nothing was changed.');
    await again.release();
    await assertInvariants('blue', stateAtStart);
  });

  it('row 18: frees the lock when its holder dies', async () => {
    const stateAtStart = readFileSync(lab().stateFile, 'utf8');
    const holder = labRunner();
    await acquireLock(context(holder), 'release', 'Nothing was changed.');
    holder.dispose();
    const deadline = Date.now() + 10000;
    for (;;) {
      try {
        const lock = await acquireLock(context(runner), 'next', 'Nothing was changed.');
        await lock.release();
        break;
      } catch (e) {
        if (!isBlueGreenError(e, 'locked') || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await assertInvariants('blue', stateAtStart);
  });

  it('runs deploy → release → sync → deploy → rollback, never restarting LIVE during a deploy', async () => {
    // deploy v1.2.0 to STANDBY (GREEN)
    const blueBefore = pm2Info('blue');
    let ctx = context(runner);
    const d1 = await deploy(ctx, { ref: 'v1.2.0' });
    assert.equal(d1.slot, 'green');
    assert.equal(d1.version, '1.2.0');
    assert.deepEqual(pm2Info('blue'), blueBefore, 'LIVE was restarted during a deploy');
    assert.equal(await served(), 'blue 1.1.0');
    assert.ok(ctx.reporter.lines.some((l) => l.startsWith('== Install dependencies (lab-green)')));
    assert.ok(ctx.reporter.lines.some((l) => /^ok Build \d+ ms$/.test(l)));

    // release under a steady request loop: no request may fail
    const loop = requestLoop(`${lab().frontendUrl}/api/health`);
    const r1 = await release(context(runner)).catch(async (e: unknown) => {
      await loop.stop();
      throw e;
    });
    await new Promise((r) => setTimeout(r, 300));
    const traffic = await loop.stop();
    assert.deepEqual([r1.from, r1.to, r1.verified, r1.stateWritten], ['blue', 'green', true, true]);
    assert.equal(traffic.failed, 0, `${traffic.failed} of ${traffic.sent} requests failed during the release`);
    assert.ok(traffic.sent > 50, `only ${traffic.sent} requests were sent`);
    assert.equal(await served(), 'green 1.2.0');
    let state = readState();
    assert.deepEqual([state.live, state.prod, state.standby, state.switchCount], ['green', 'green', 'blue', 1]);
    assert.deepEqual((state.history as { from: string; to: string; by: string }[]).map((h) => `${h.from}->${h.to} by ${h.by}`), ['blue->green by tester@lab']);

    // sync: BLUE (now STANDBY) to GREEN's commit
    const s = await sync(context(runner));
    assert.equal(s.slot, 'blue');
    assert.equal(s.commit, s.liveCommit);
    assert.equal(s.version, '1.2.0');

    // a new release on origin, deployed to STANDBY (BLUE) from the branch tip
    const greenBefore = pm2Info('green');
    const commit = publishRelease('1.3.0');
    ctx = context(runner);
    const d2 = await deploy(ctx);
    assert.deepEqual([d2.slot, d2.commit, d2.version], ['blue', commit, '1.3.0']);
    assert.deepEqual(pm2Info('green'), greenBefore, 'LIVE was restarted during a deploy');
    assert.equal(await served(), 'green 1.2.0');

    // rollback: traffic goes back to the slot that was LIVE before the last switch (BLUE)
    const r2 = await release(context(runner), { kind: 'rollback' });
    assert.deepEqual([r2.from, r2.to], ['green', 'blue']);
    assert.equal(await served(), 'blue 1.3.0');
    state = readState();
    assert.deepEqual([state.live, state.switchCount], ['blue', 2]);
    const history = state.history as { from: string; to: string; kind: string; toVersion: string }[];
    assert.deepEqual(history.map((h) => `${h.kind} ${h.from}->${h.to} ${h.toVersion}`), ['release blue->green 1.2.0', 'rollback green->blue 1.3.0']);
  });

  it('releases in a frontend shared with other apps, leaving their rules as they were', async () => {
    const before = readFileSync(lab().haproxyConfig, 'utf8');
    const ctx = { ...context(runner), app: labConfig('shared').apps[0] };
    const r = await release(ctx);
    assert.deepEqual([r.from, r.to, r.verified], ['blue', 'green', true]);
    assert.equal(await servedBy('shared'), 'green');
    const after = readFileSync(lab().haproxyConfig, 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    assert.deepEqual(changed, ['    use_backend demo_shared_green if is_demo']);
    assert.match(await served(), /^blue /, 'the default_backend frontend changed');
    await release({ ...ctx, app: labConfig('shared').apps[0] }, { kind: 'rollback' });
    assert.equal(await servedBy('shared'), 'blue');
  });

  it('hardening: an emergency release to a STANDBY that answers 503 switches and stays switched, with its reason recorded (the routing is verified, not the health; RELIABILITY row 32)', async () => {
    const to = (await servedBy()) === 'blue' ? 'green' : 'blue';
    const unhealthy = path.join(lab().hosts[to].home, 'unhealthy');
    writeFileSync(unhealthy, '');
    try {
      // A watch long enough for HAProxy's own checks to mark the slot down: its 503 page names no slot.
      const ctx = { ...context(runner, (y) => y.replace('watchSeconds: 2', 'watchSeconds: 4')), confirm: preApproved('database failover') };
      const r = await release(ctx, { emergency: true });
      assert.equal(r.to, to);
      assert.equal(r.verified, true);
      assert.match(r.summary, new RegExp(`${to.toUpperCase()} serves the traffic but its health check fails`));
      // HAProxy's own checks have marked the slot down by now, so the frontend answers with HAProxy's 503 page.
      assert.match(readFileSync(lab().haproxyConfig, 'utf8'), new RegExp(`default_backend demo_${to}\\n`), 'the emergency switch was undone');
      assert.ok(ctx.reporter.lines.some((l) => l.includes(`HTTP 503 from ${to.toUpperCase()}`)), ctx.reporter.lines.join('\n'));
      const last = (readState().history as Record<string, unknown>[]).pop()!;
      assert.deepEqual([last.to, last.emergency, last.reason, last.kind], [to, true, 'database failover', 'release']);
    } finally {
      rmSync(unhealthy);
      await untilServedBy(to);
    }
  });
  it('hardening: an output that fails in the middle of a release (the window closed) does not stop it halfway: the switch is verified and recorded', async () => {
    const to = (await servedBy()) === 'blue' ? 'green' : 'blue';
    const reporter = new RecordingReporter();
    let closed = false;
    const broken = () => {
      if (closed) throw new Error('Channel has been closed');
    };
    for (const method of ['step', 'line', 'stepDone', 'info', 'warn'] as const) {
      const original = reporter[method].bind(reporter) as (...args: unknown[]) => void;
      (reporter as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        broken();
        original(...args);
        if (method === 'step' && String(args[0]).startsWith('Switch demo')) closed = true;
      };
    }
    const stderr = console.error;
    console.error = () => undefined;
    try {
      const r = await release({ ...context(runner, undefined, reporter), onRouted: broken });
      assert.equal(r.to, to);
      assert.equal(r.stateWritten, true);
    } finally {
      console.error = stderr;
    }
    assert.ok(closed, 'the output never closed');
    await assertInvariants(to);
  });
  it('hardening: a state file grown to megabytes by other tools keeps the LB reachable in the status, and the next release moves the old history out, losing none (RELIABILITY row 31)', async () => {
    const file = lab().stateFile;
    const live = await servedBy();
    const to = live === 'blue' ? 'green' : 'blue';
    const history = Array.from({ length: 30_000 }, (_, i) => ({ timestamp: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(), from: i % 2 ? 'green' : 'blue', to: i % 2 ? 'blue' : 'green', by: 'old-script', note: 'x'.repeat(120) }));
    writeFileSync(file, JSON.stringify({ prod: live, live, standby: to, switchCount: history.length, history }));
    assert.ok(readFileSync(file).length > 4 * 1024 * 1024);
    const app = (await takeSnapshot(runner, labConfig())).apps[0];
    assert.equal(app.lb.reachable, true);
    assert.equal(app.live, live);
    assert.equal(app.lb.state.status, 'too-large');
    assert.match(app.drift.map((d) => d.message).join('\n'), /is \d+\.\d MB, more than a status refresh reads \(4 MB\)/);
    const r = await release(context(runner));
    assert.equal(r.to, to);
    const after = readState();
    const kept = after.history as Record<string, unknown>[];
    assert.equal(kept.length, 500);
    assert.equal(kept[kept.length - 1].to, to);
    const moved = readFileSync(`${file}.history.jsonl`, 'utf8').trim().split('\n');
    assert.equal(moved.length + kept.length, history.length + 1, 'history entries were lost');
    assert.deepEqual(JSON.parse(moved[0]), history[0]);
    rmSync(`${file}.history.jsonl`);
    writeFileSync(file, JSON.stringify({ prod: to, live: to, standby: live, switchCount: 0 }));
  });
  it('drain meter: after a switch it reports the connections the old HAProxy process still holds, the status lists that process, and it is gone once its client closes', async () => {
    const to = (await servedBy()) === 'blue' ? 'green' : 'blue';
    // A keep-alive client that made one request and stays connected, idle.
    const held = net.connect(FRONTEND_PORT, lab().hosts.lb.address);
    await new Promise<void>((resolve) => {
      held.once('data', () => resolve());
      held.write(`GET / HTTP/1.1\r\nHost: demo\r\n\r\n`);
    });
    const ctx = context(runner);
    try {
      const r = await release(ctx);
      assert.equal(r.to, to);
      const line = ctx.reporter.lines.find((l) => l.includes('the old HAProxy process')) ?? '';
      assert.match(line, /the old HAProxy process \d+ held [1-9]\d* connection\(s\) after the switch; \d+ still holds [1-9]\d* connection\(s\) [\d.]+ s after it/, ctx.reporter.lines.join('\n'));
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      assert.ok(app.lb.oldProcesses?.some((p) => (p.connections ?? 0) >= 1), JSON.stringify(app.lb.oldProcesses));
    } finally {
      held.destroy();
    }
    for (const until = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      if (!app.lb.oldProcesses) break;
      assert.ok(Date.now() < until, `the old process did not exit: ${JSON.stringify(app.lb.oldProcesses)}`);
    }
  });
  it('hardening: a health endpoint that names no slot: HAProxy\'s per-backend counts verify the switch; without a stats socket the summary says it is not proven', async () => {
    const plainHealth = (y: string) => y.replace('path: /api/health', 'path: /');
    const first = (await servedBy()) === 'blue' ? 'green' : 'blue';
    const counted = context(runner, plainHealth);
    const r = await release(counted);
    assert.equal(r.to, first);
    assert.equal(await servedBy(), first);
    assert.ok(counted.reporter.lines.some((l) => l.includes(`HAProxy counted it on demo_${first}`)), counted.reporter.lines.join('\n'));
    assert.doesNotMatch(r.summary, /cannot be told/);
    const blind = context(runner, (y) => plainHealth(y).replace(/\n\s*statsSocket:.*\n/, '\n'));
    const back = await release(blind, { kind: 'rollback' });
    assert.equal(await servedBy(), back.to);
    assert.match(back.summary, /which slot answered cannot be told \(the answer names no version, commit or environment; set loadBalancer.statsSocket/);
  });
  it('an emergency release over a corrupt state file keeps the old file beside the new one, and says so', async () => {
    const file = lab().stateFile;
    const live = readState().live as string;
    const to = live === 'blue' ? 'green' : 'blue';
    writeFileSync(file, '{"prod": "blue", truncated');
    const ctx = { ...context(runner), confirm: preApproved('state file lost in a disk failure') };
    const r = await release(ctx, { emergency: true });
    assert.equal(r.to, to);
    assert.equal(r.stateWritten, true);
    const kept = readdirSync(path.dirname(file)).filter((f) => f.startsWith(`${path.basename(file)}.bluegreen-corrupt-`));
    assert.equal(kept.length, 1, 'the corrupt file was not kept');
    assert.equal(readFileSync(path.join(path.dirname(file), kept[0]), 'utf8'), '{"prod": "blue", truncated');
    assert.equal(readState().live, to);
    assert.ok(ctx.reporter.lines.some((l) => l.includes(`it was kept as ${path.join(path.dirname(file), kept[0])}`)), ctx.reporter.lines.join('\n'));
    rmSync(path.join(path.dirname(file), kept[0]));
  });
  it('hardening: a non-UTF-8 byte in haproxy.cfg: the switch works and every other byte stays (RELIABILITY row 28)', async () => {
    const cfg = lab().haproxyConfig;
    const original = readFileSync(cfg);
    // "# café" in Latin-1: one byte 0xE9, not valid UTF-8.
    writeFileSync(cfg, Buffer.concat([Buffer.from('# caf', 'latin1'), Buffer.from([0xe9]), Buffer.from('\n'), original]));
    await reloadHaproxy();
    const before = readFileSync(cfg);
    const live = (await served()).split(' ')[0];
    const to = live === 'blue' ? 'green' : 'blue';
    const r = await release(context(runner), { kind: 'release' });
    assert.equal(r.to, to);
    const expected = Buffer.from(before.toString('latin1').replace(`default_backend demo_${live}`, `default_backend demo_${to}`), 'latin1');
    assert.ok(readFileSync(cfg).equals(expected), 'bytes other than the routing line changed');
    writeFileSync(cfg, readFileSync(cfg).subarray(before.length - original.length));
    await reloadHaproxy();
  });
  it('hardening: a config edited but not reloaded is refused with advice to reload it, not to reconcile', async () => {
    const cfg = lab().haproxyConfig;
    const original = readFileSync(cfg);
    // File times and HAProxy's uptime are whole seconds: edit clearly after the last load.
    await new Promise((r) => setTimeout(r, 2100));
    writeFileSync(cfg, Buffer.concat([Buffer.from('# edited by hand\n'), original]));
    try {
      await assert.rejects(release(context(runner)), (e: unknown) => e instanceof WorkflowError && e.reason === 'refused' && /was changed after HAProxy last loaded it.*reload HAProxy \(/.test(e.message) && !/Reconcile/.test(e.message));
    } finally {
      writeFileSync(cfg, original);
      await reloadHaproxy();
    }
  });
  it('hardening: a second alias for LIVE\'s machine does not let a deploy to "STANDBY" touch LIVE (RELIABILITY row 30)', async () => {
    const live = (await served()).split(' ')[0] as 'blue' | 'green';
    const standby = live === 'blue' ? 'green' : 'blue';
    const [liveHost, standbyHost] = [lab().hosts[live], lab().hosts[standby]];
    // STANDBY written as LIVE's address and checkout: the names differ, the machine does not.
    // The config is refused as it loads (the alias resolved through ssh_config), before any deploy can start.
    const before = pm2Info(live);
    assert.throws(
      () => context(runner, (y) => y.replace(`ssh: lab-${standby}`, `ssh: root@${liveHost.address}:${liveHost.sshPort}`).replace(path.join(standbyHost.home, 'app'), path.join(liveHost.home, 'app'))),
      (e: unknown) => e instanceof Error && e.message.includes(`one machine (${liveHost.address}:${liveHost.sshPort})`) && /a deploy to STANDBY would change LIVE/.test(e.message),
    );
    assert.deepEqual(pm2Info(live), before, 'LIVE was restarted');
    assert.equal((await served()).split(' ')[0], live);
  });
});

