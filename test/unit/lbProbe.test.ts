import * as assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { probeLoadBalancer } from '../../src/core/status/probe';
import { LocalRunner } from './localRunner';

describe('LB probe', () => {
  let dir: string;
  let cfg: string;
  let state: string;
  let runner: LocalRunner;
  const now = Math.floor(Date.now() / 1000);
  const app = () =>
    parseConfig(
      `version: 1\napps:\n  - name: demo\n    loadBalancer:\n      ssh: lb\n      config: ${cfg}\n      frontend: demo\n      reload: "true"\n      stateFile: ${state}\n      statsSocket: /run/haproxy/admin.sock\n    slots:\n      blue:  { ssh: a, backend: demo_blue, url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }\n      green: { ssh: b, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }\n`,
      path.join(dir, 'bluegreen.yaml'),
    ).apps[0];
  const routing = (backend: string) => `frontend demo\n  bind :80\n  default_backend ${backend}\n`;
  const stateOf = (live: string, standby: string) => JSON.stringify({ live, standby, switchCount: 1, history: [] });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-lbprobe-'));
    cfg = path.join(dir, 'haproxy.cfg');
    state = path.join(dir, 'state.json');
    writeFileSync(cfg, routing('demo_blue'));
  });
  afterEach(() => {
    runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('was the config edited after HAProxy loaded it?', () => {
    it('compares the file with Start_time_sec, asking the LB for nothing more', async () => {
      utimesSync(cfg, now - 10, now - 10);
      runner = new LocalRunner(`Uptime_sec: 100\nStart_time_sec: ${now - 100}`);
      const lb = await probeLoadBalancer(runner, app());
      assert.equal(lb.backend, 'demo_blue');
      assert.equal(lb.configChangedAfterLoad, true);
      assert.equal(runner.scripts.length, 1);

      utimesSync(cfg, now - 1000, now - 1000);
      assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, undefined);
    });

    it('falls back to the LB clock minus Uptime_sec when HAProxy does not say when it started', async () => {
      utimesSync(cfg, now - 10, now - 10);
      runner = new LocalRunner('Uptime_sec: 100');
      assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, true);
      assert.equal(runner.scripts.length, 2, 'the LB clock was not read');
      utimesSync(cfg, now - 1000, now - 1000);
      assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, undefined);
    });
  });

  describe('reads the config and state file again only when they changed', () => {
    beforeEach(() => {
      writeFileSync(state, stateOf('blue', 'green'));
      runner = new LocalRunner(`Uptime_sec: 100\nStart_time_sec: ${now}`);
    });

    it('skips both reads when nothing changed, and answers the same', async () => {
      const first = await probeLoadBalancer(runner, app());
      assert.deepEqual(runner.started().sort(), ['cat', 'cat', 'stat']);
      const second = await probeLoadBalancer(runner, app());
      assert.deepEqual(runner.started(), ['stat']);
      assert.deepEqual(second, first);
      assert.equal(second.backend, 'demo_blue');
      assert.equal(second.state.live, 'blue');
    });

    it('sees a config replaced by a rename (as a switch writes it)', async () => {
      await probeLoadBalancer(runner, app());
      writeFileSync(`${cfg}.new`, routing('demo_green'));
      renameSync(`${cfg}.new`, cfg);
      assert.equal((await probeLoadBalancer(runner, app())).backend, 'demo_green');
    });

    it('sees a state file rewritten in place with the same size', async () => {
      await probeLoadBalancer(runner, app());
      writeFileSync(state, stateOf('green', 'blue'));
      const lb = await probeLoadBalancer(runner, app());
      assert.equal(lb.state.live, 'green');
      assert.equal(lb.state.standby, 'blue');
    });

    it('sees a state file deleted, then written again', async () => {
      await probeLoadBalancer(runner, app());
      rmSync(state);
      assert.equal((await probeLoadBalancer(runner, app())).state.status, 'missing');
      writeFileSync(state, stateOf('green', 'blue'));
      assert.equal((await probeLoadBalancer(runner, app())).state.live, 'green');
    });

    it('reads again after a failed read, rather than keeping the failure', async () => {
      rmSync(cfg);
      assert.match((await probeLoadBalancer(runner, app())).error ?? '', /cannot read/);
      writeFileSync(cfg, routing('demo_green'));
      const lb = await probeLoadBalancer(runner, app());
      assert.equal(lb.error, undefined);
      assert.equal(lb.backend, 'demo_green');
    });
  });
});
