import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { configSources, parseCmdlines, sourcesOf } from '../../src/core/haproxy/loadedFiles';
import { OncePerRefresh } from '../../src/core/status/oncePerRefresh';
import { probeLoadBalancer } from '../../src/core/status/probeLoadBalancer';
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

  it('reads an LB once for all its apps: the config once, each app its own state file and lock (a missing lock file before a held one hides nothing)', async () => {
    writeFileSync(cfg, `${routing('demo_blue')}frontend shop\n  bind :81\n  default_backend shop_green\n`);
    writeFileSync(state, stateOf('blue', 'green'));
    // Named to sort after demo's: the lock sections follow the state files' order.
    const shopState = path.join(dir, 'z-shop-state.json');
    writeFileSync(shopState, stateOf('green', 'blue'));
    // shop's lock is held by a live process (this one); demo has no lock file at all.
    writeFileSync(`${shopState}.lock`, `{"who":"ann@ops","operation":"release"}\n${process.pid}\n`);
    // Each app its own servers: two apps on one address are refused at load.
    const slots = (name: string, net: number) => `    slots:\n      blue:  { ssh: ${name}-a, backend: ${name}_blue, url: "http://10.0.${net}.1:3001", dir: /opt/${name}, pm2: ${name}-blue }\n      green: { ssh: ${name}-b, backend: ${name}_green, url: "http://10.0.${net}.2:3001", dir: /opt/${name}, pm2: ${name}-green }\n`;
    const lbOf = (frontend: string, stateFile: string) => `    loadBalancer:\n      ssh: lb\n      config: ${cfg}\n      frontend: ${frontend}\n      reload: "true"\n      stateFile: ${stateFile}\n      statsSocket: /run/haproxy/admin.sock\n`;
    const config = parseConfig(`version: 1\napps:\n  - name: demo\n${lbOf('demo', state)}${slots('demo', 1)}  - name: shop\n${lbOf('shop', shopState)}${slots('shop', 2)}`, path.join(dir, 'bluegreen.yaml'));
    runner = new LocalRunner(`Uptime_sec: 100\nStart_time_sec: ${now}`);
    const shared = new OncePerRefresh(config.apps);
    const [demo, shop] = await Promise.all(config.apps.map((a) => probeLoadBalancer(runner, a, undefined, shared)));
    assert.equal(runner.scripts.length, 1, 'each app asked the LB on its own');
    assert.deepEqual([demo.backend, demo.state.live, demo.lock], ['demo_blue', 'blue', undefined]);
    assert.deepEqual([shop.backend, shop.state.live, shop.lock], ['shop_green', 'green', { who: 'ann@ops', operation: 'release', since: undefined }]);
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
      // HAProxy's count covers a window of its own each time: the rest answers the same.
      const uncounted = (lb: typeof first) => ({ ...lb, trafficProof: { ...lb.trafficProof, counted: { ...lb.trafficProof?.counted, windowMs: 0 } } });
      assert.ok((first.trafficProof?.counted?.windowMs ?? 0) >= 1000);
      assert.deepEqual(uncounted(second), uncounted(first));
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

    it('keeps skipping the reads while the state file does not exist yet (an app never released), and sees it appear', async () => {
      rmSync(state);
      assert.equal((await probeLoadBalancer(runner, app())).state.status, 'missing');
      runner.started();
      const again = await probeLoadBalancer(runner, app());
      assert.deepEqual([again.state.status, again.backend], ['missing', 'demo_blue']);
      assert.deepEqual(runner.started(), ['stat'], 'the config was read again although nothing changed');
      writeFileSync(state, stateOf('green', 'blue'));
      assert.equal((await probeLoadBalancer(runner, app())).state.live, 'green');
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

  describe('hardening: the other files the running HAProxy loads (-f dir/)', () => {
    let fake: ChildProcess | undefined;
    /** A process named haproxy with this command line: a copy of sh that sleeps, so /proc shows it as HAProxy would be. */
    const runHaproxyWith = async (...args: string[]) => {
      const bin = path.join(dir, 'haproxy');
      copyFileSync('/bin/sh', bin);
      chmodSync(bin, 0o755);
      fake = spawn(bin, ['-c', 'sleep 30; :', ...args], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 100));
    };
    afterEach(() => fake?.kill('SIGKILL'));

    it('refuses to read the routing when another loaded file declares the frontend again', async () => {
      mkdirSync(path.join(dir, 'conf.d'));
      writeFileSync(path.join(dir, 'conf.d', '10-other.cfg'), 'frontend other\n  bind :81\n  default_backend x\n');
      writeFileSync(path.join(dir, 'conf.d', '20-demo.cfg'), '# by hand\nfrontend demo\n  bind :82\n  default_backend demo_green\n');
      await runHaproxyWith('-W', '-f', cfg, '-f', path.join(dir, 'conf.d'));
      runner = new LocalRunner('Uptime_sec: 100');
      const lb = await probeLoadBalancer(runner, app());
      assert.match(lb.error ?? '', new RegExp(`frontend "demo" is declared again in ${path.join(dir, 'conf.d', '20-demo.cfg')} \\(line 2\\), which HAProxy also loads`));
      assert.equal(lb.backend, undefined, 'a LIVE was read from a config HAProxy does not follow alone');
    });

    it('reads the routing when the other files leave the frontend alone, and knows the config inside a loaded directory', async () => {
      mkdirSync(path.join(dir, 'conf.d'));
      writeFileSync(path.join(dir, 'conf.d', '10-other.cfg'), 'frontend other\n  bind :81\n  default_backend x\n');
      await runHaproxyWith('-f', path.join(dir, 'conf.d'), '-f', cfg);
      runner = new LocalRunner(`Uptime_sec: 100\nStart_time_sec: ${now - 100}`);
      const lb = await probeLoadBalancer(runner, app());
      assert.deepEqual([lb.error, lb.backend, runner.scripts.length], [undefined, 'demo_blue', 2]);
    });

    it('says so when no running HAProxy names the configured file', async () => {
      await runHaproxyWith('-f', path.join(dir, 'elsewhere.cfg'));
      runner = new LocalRunner('Uptime_sec: 100');
      const lb = await probeLoadBalancer(runner, app());
      assert.equal(lb.backend, 'demo_blue');
      assert.ok(lb.configNotNamed?.running.includes(path.join(dir, 'elsewhere.cfg')), JSON.stringify(lb.configNotNamed));
    });
  });
});

describe('which files HAProxy loads', () => {
  it('reads them from its command line', () => {
    assert.deepEqual(parseCmdlines('haproxy\n-f\n/a.cfg\nEND\nhaproxy\n-f\n/a.cfg\nEND\n', 'END'), [['haproxy', '-f', '/a.cfg']]);
    assert.deepEqual(sourcesOf(['haproxy', '-Ws', '-f', '/etc/haproxy/haproxy.cfg', '-p', '/run/haproxy.pid', '-S', '/run/haproxy-master.sock']), ['/etc/haproxy/haproxy.cfg']);
    assert.deepEqual(sourcesOf(['haproxy', '-D', '--', '/etc/a.cfg', '/etc/conf.d']), ['/etc/a.cfg', '/etc/conf.d']);
    assert.equal(sourcesOf(['haproxy', '-f', 'haproxy.cfg']), undefined, 'a relative path cannot be placed');
    assert.equal(sourcesOf(['haproxy', '-C', '/etc/haproxy', '-f', '/x.cfg']), undefined);
    assert.deepEqual(configSources([['haproxy', '-f', '/etc/haproxy/haproxy.cfg']], '/etc/haproxy/haproxy.cfg'), { kind: 'only' });
    assert.deepEqual(configSources([['haproxy', '-f', '/etc/haproxy/conf.d/']], '/etc/haproxy/conf.d/20-app.cfg'), { kind: 'with-others', sources: ['/etc/haproxy/conf.d/'] });
    assert.deepEqual(configSources([['haproxy', '-f', '/etc/haproxy/conf.d']], '/etc/haproxy/conf.d/20-app.conf').kind, 'not-named', 'HAProxy loads only *.cfg from a directory');
    assert.deepEqual(configSources([], '/etc/haproxy/haproxy.cfg'), { kind: 'unknown' });
  });
});
