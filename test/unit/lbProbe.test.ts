import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { CommandRunner, RunResult } from '../../src/core/ssh/runner';
import { probeLoadBalancer } from '../../src/core/status/probe';

/** Runs the probe's scripts in a local `sh`, and answers the stats socket with `showInfo`. */
class LocalRunner implements CommandRunner {
  readonly scripts: string[] = [];
  constructor(private readonly showInfo: string) {}
  async run(_host: unknown, script: string): Promise<RunResult> {
    this.scripts.push(script);
    const r = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  async askUnixSocket(): Promise<string> {
    return `${this.showInfo}\n\n# pxname,svname,status,check_status,scur\ndemo_blue,blue,UP,L7OK,0\n`;
  }
  async httpGet(): Promise<never> {
    throw new Error('not used');
  }
  dispose(): void {}
}

describe('LB probe: was the config edited after HAProxy loaded it?', () => {
  let dir: string;
  let cfg: string;
  const now = Math.floor(Date.now() / 1000);
  const app = () =>
    parseConfig(
      `version: 1\napps:\n  - name: demo\n    loadBalancer:\n      ssh: lb\n      config: ${cfg}\n      frontend: demo\n      reload: "true"\n      stateFile: ${path.join(dir, 'state.json')}\n      statsSocket: /run/haproxy/admin.sock\n    slots:\n      blue:  { ssh: a, backend: demo_blue, url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }\n      green: { ssh: b, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }\n`,
      path.join(dir, 'bluegreen.yaml'),
    ).apps[0];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-lbprobe-'));
    cfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(cfg, 'frontend demo\n  bind :80\n  default_backend demo_blue\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compares the file with Start_time_sec, asking the LB for nothing more', async () => {
    utimesSync(cfg, now - 10, now - 10);
    const runner = new LocalRunner(`Uptime_sec: 100\nStart_time_sec: ${now - 100}`);
    const lb = await probeLoadBalancer(runner, app());
    assert.equal(lb.backend, 'demo_blue');
    assert.equal(lb.configChangedAfterLoad, true);
    assert.equal(runner.scripts.length, 1);

    utimesSync(cfg, now - 1000, now - 1000);
    assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, undefined);
  });

  it('falls back to the LB clock minus Uptime_sec when HAProxy does not say when it started', async () => {
    utimesSync(cfg, now - 10, now - 10);
    const runner = new LocalRunner('Uptime_sec: 100');
    assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, true);
    assert.equal(runner.scripts.length, 2, 'the LB clock was not read');
    utimesSync(cfg, now - 1000, now - 1000);
    assert.equal((await probeLoadBalancer(runner, app())).configChangedAfterLoad, undefined);
  });
});
