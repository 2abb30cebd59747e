import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { takeSnapshot } from '../../src/core/status/refresh';
import { AppSnapshot, severity, slotList } from '../../src/core/status/snapshot';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { labConfig, labRunner, pm2Info, pm2OnLab, reloadHaproxy, routeByHand, servedBy, untilSlotAnswers } from './helpers';
import { lab } from './setup';

function roles(app: AppSnapshot): string {
  return slotList(app).map((s) => `${s.name}:${s.role}:${s.health}`).join(' ');
}

describe('status against the lab (real sshd, HAProxy, pm2)', () => {
  let runner: Ssh2Runner;
  let savedState: string;
  beforeEach(() => {
    runner = labRunner();
    savedState = readFileSync(lab().stateFile, 'utf8');
  });
  afterEach(async () => {
    runner.dispose();
    writeFileSync(lab().stateFile, savedState);
    for (const frontend of ['default', 'shared'] as const) if ((await servedBy(frontend)) !== 'blue') await routeByHand('blue', frontend);
  });

  for (const shape of ['default', 'shared'] as const) {
    it(`detects BLUE LIVE and GREEN STANDBY (${shape === 'default' ? 'default_backend' : 'use_backend … if acl'})`, async () => {
      const snapshot = await takeSnapshot(runner, labConfig(shape));
      const app = snapshot.apps[0];
      assert.equal(roles(app), 'blue:LIVE:up green:STANDBY:up');
      const backends = shape === 'default' ? 'demo' : 'demo_shared';
      assert.equal(app.lb.backend, `${backends}_blue`);
      assert.deepEqual(app.drift, []);
      assert.equal(severity(app), 'ok');
      const blue = app.slots.blue;
      assert.equal(blue.version, '1.1.0');
      assert.equal(blue.reported?.environment, 'blue');
      assert.equal(blue.claimsDisagree, undefined);
      assert.match(blue.commit ?? '', /^[0-9a-f]{40}$/);
      assert.equal(blue.tag, 'v1.1.0');
      assert.equal(blue.pm2?.status, 'online');
      assert.equal(blue.pm2?.pid, pm2Info('blue').pid);
      const pm2UptimeMs = Date.now() - Number(pm2OnLab('blue', 'jlist').match(/"pm_uptime":(\d+)/)?.[1]);
      assert.ok(Math.abs((blue.pm2?.uptimeMs ?? NaN) - pm2UptimeMs) < 3000, `uptime ${blue.pm2?.uptimeMs} ms, pm2 says ${pm2UptimeMs} ms`);
      assert.ok(typeof blue.responseMs === 'number');
      // "UP", or "UP 1/2" while a check after a reload is still settling.
      assert.deepEqual(app.lb.runtime?.servers.map((s) => `${s.backend}/${s.server}:${s.status.split(' ')[0]}`).sort(), [`${backends}_blue/blue:UP`, `${backends}_green/green:UP`]);
    });

    it(`sees GREEN LIVE after the rule is flipped by hand, and reports the state file's drift (${shape})`, async () => {
      await routeByHand('green', shape);
      const app = (await takeSnapshot(runner, labConfig(shape))).apps[0];
      assert.equal(app.live, 'green');
      assert.equal(roles(app), 'blue:STANDBY:up green:LIVE:up');
      assert.deepEqual(app.drift.map((d) => d.kind), ['state-file-disagrees']);
      assert.match(app.drift[0].message, /state file says BLUE is LIVE, but HAProxy routes to GREEN/);
      assert.equal(severity(app), 'warning');
    });
  }

  it('hardening: a configured haproxy.cfg that the running HAProxy does not load is reported, naming the file it does load', async () => {
    const copy = `${lab().haproxyConfig}.copy`;
    writeFileSync(copy, readFileSync(lab().haproxyConfig));
    try {
      const app = (await takeSnapshot(runner, labConfig('default', (y) => y.replace(`config: ${lab().haproxyConfig}`, `config: ${copy}`)))).apps[0];
      const drift = app.drift.find((d) => d.kind === 'config-not-named');
      assert.ok(drift?.message.includes(`the running HAProxy loads ${lab().haproxyConfig}, not ${copy}`), JSON.stringify(app.drift));
    } finally {
      rmSync(copy);
    }
  });

  it('row 16: reports a config edited but not reloaded', async () => {
    const file = lab().haproxyConfig;
    const text = readFileSync(file, 'utf8');
    try {
      // File times and HAProxy's uptime are whole seconds: edit clearly after the last load.
      await new Promise((r) => setTimeout(r, 2100));
      writeFileSync(file, text.replace('default_backend demo_blue', 'default_backend demo_green'));
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      assert.ok(app.drift.some((d) => d.kind === 'config-not-loaded'), JSON.stringify(app.drift));
    } finally {
      writeFileSync(file, text);
      await reloadHaproxy();
    }
  });

  it('shows a stopped pm2 app as down', async () => {
    pm2OnLab('green', 'stop', 'demo-green');
    try {
      const app = (await takeSnapshot(runner, labConfig())).apps[0];
      const green = app.slots.green;
      assert.equal(green.health, 'down');
      assert.equal(green.pm2?.status, 'stopped');
      assert.equal(app.slots.blue.health, 'up');
      assert.equal(severity(app), 'warning');
    } finally {
      pm2OnLab('green', 'start', 'demo-green');
      await untilSlotAnswers('green');
    }
  });

  it('shows an unreachable slot host as unreachable while the rest still renders', async () => {
    const config = labConfig('default', (y) => y.replace('ssh: lab-green', 'ssh: root@127.77.0.3:2299'));
    const app = (await takeSnapshot(runner, config)).apps[0];
    const green = app.slots.green;
    assert.equal(green.reachable, false);
    assert.equal(green.health, 'unknown');
    assert.match(green.error ?? '', /127\.77\.0\.3:2299/);
    assert.equal(green.role, 'STANDBY');
    assert.equal(app.slots.blue.health, 'up');
    assert.equal(app.live, 'blue');
  });

  it('shows an unreachable LB with unknown roles, and the slots still probed', async () => {
    const config = labConfig('default', (y) => y.replace('ssh: lab-lb', 'ssh: root@127.77.0.1:2299'));
    const app = (await takeSnapshot(runner, config)).apps[0];
    assert.equal(app.lb.reachable, false);
    assert.equal(roles(app), 'blue:UNKNOWN:up green:UNKNOWN:up');
    assert.equal(severity(app), 'error');
  });

  it('row 16: reads both state file shapes; a corrupt one is drift and the config wins', async () => {
    writeFileSync(lab().stateFile, JSON.stringify({ prod: 'blue', standby: 'green', lastSwitch: '2026-01-02T03:04:05Z', switchCount: 5, history: [{ timestamp: '2026-01-02T03:04:05Z', from: 'green', to: 'blue' }] }));
    let app = (await takeSnapshot(runner, labConfig())).apps[0];
    assert.equal(app.lb.state.status, 'ok');
    assert.equal(app.lb.state.live, 'blue');
    assert.equal(app.lb.state.switchCount, 5);
    assert.deepEqual(app.lb.state.history.map((h) => `${h.from}->${h.to}`), ['green->blue']);
    assert.deepEqual(app.drift, []);

    writeFileSync(lab().stateFile, JSON.stringify({ prod: 'green', live: 'green', standby: 'blue', lastSwitch: '2026-01-02T03:04:05Z', switchCount: 6 }));
    app = (await takeSnapshot(runner, labConfig())).apps[0];
    assert.equal(app.lb.state.live, 'green');
    assert.deepEqual(app.drift.map((d) => d.kind), ['state-file-disagrees']);

    writeFileSync(lab().stateFile, '{ not json');
    app = (await takeSnapshot(runner, labConfig())).apps[0];
    assert.deepEqual(app.drift.map((d) => d.kind), ['state-file-corrupt']);
    assert.equal(app.live, 'blue');

    rmSync(lab().stateFile);
    app = (await takeSnapshot(runner, labConfig())).apps[0];
    assert.deepEqual(app.drift.map((d) => d.kind), ['state-file-missing']);
    assert.equal(app.lb.runtime?.servers.length, 2, 'what comes after the state file in the probe was still read');
  });

  it('runs LB commands through a configured prefix (via)', async () => {
    const config = labConfig('default', (y) => y.replace('ssh: lab-lb', 'ssh: lab-lb\n      via: env LC_ALL=C'));
    assert.equal(config.apps[0].loadBalancer.via, 'env LC_ALL=C');
    const app = (await takeSnapshot(runner, config)).apps[0];
    assert.equal(app.live, 'blue');
    const broken = labConfig('default', (y) => y.replace('ssh: lab-lb', 'ssh: lab-lb\n      via: /nonexistent/wrapper'));
    const lb = (await takeSnapshot(runner, broken)).apps[0].lb;
    assert.equal(lb.backend, undefined, 'the prefix was not applied');
  });
});
