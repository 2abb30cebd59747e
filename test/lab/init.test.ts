// #34: `bluegreen init` against the lab's load balancer, through the CLI a person runs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { lab } from './setup';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('bluegreen init against the lab (#34)', function () {
  this.timeout(120_000);
  let workspace: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 100_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const fingerprint = () => createHash('sha256').update(readFileSync(lab().haproxyConfig)).update(readFileSync(lab().stateFile)).digest('hex');
  let haproxyBefore = '';
  /** The state file the written config names: outside the lab (the LB user's own place), so removed after. */
  let stateFile: string | undefined;
  let stateFolderExisted = true;
  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-init-'));
    haproxyBefore = readFileSync(lab().haproxyConfig, 'utf8');
  });
  after(() => {
    rmSync(workspace, { recursive: true, force: true });
    if (!stateFile) return;
    for (const f of [stateFile, `${stateFile}.lock`, `${stateFile}.bluegreen-before-reconcile`]) rmSync(f, { force: true });
    if (!stateFolderExisted) rmSync(path.dirname(stateFile), { recursive: true, force: true });
  });

  it('asks which app when the load balancer routes two, and without a terminal names the option that answers it (exit 2); nothing is written', () => {
    const r = cli('init', 'lab-lb', '--ssh-config', lab().sshConfig);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /routes 2 apps\. Which one\? Not asked: no terminal\. Answer with --app demo\./);
    assert.throws(() => readFileSync(path.join(workspace, 'bluegreen.yaml')), /ENOENT/);
  });

  it("writes the lab app's config from what runs: both slots with their ssh alias, checkout and pm2 process, the reload, sockets and health path; it passes validate and status, and nothing on a host changed", () => {
    const before = fingerprint();
    const r = cli('init', 'lab-lb', '--app', 'demo', '--ssh-config', lab().sshConfig);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /bluegreen\.yaml: written for demo; nothing on any host was changed\./);
    assert.match(r.stdout, /BLUE: lab-blue, pm2 "demo-blue" in \S+ \(its PORT is 3001, the server line's\)/);
    const file = path.join(workspace, 'bluegreen.yaml');
    const text = readFileSync(file, 'utf8');
    const [app] = parseConfig(text, file).apps;
    const [lb] = app.loadBalancers;
    assert.deepEqual(
      [lb.ssh, lb.config, lb.frontend, lb.acl, lb.reload, lb.statsSocket],
      ['lab-lb', lab().haproxyConfig, 'demo', undefined, lab().reloadCommand, lab().adminSocket],
    );
    for (const slot of ['blue', 'green'] as const) {
      const [server] = app.slots[slot].servers;
      const host = lab().hosts[slot];
      assert.deepEqual([server.ssh, server.url, server.dir, server.pm2, app.slots[slot].backend], [`lab-${slot}`, `http://${host.address}:${lab().appPort}`, path.join(host.home, 'app'), `demo-${slot}`, `demo_${slot}`]);
    }
    assert.equal(app.health.path, '/api/health');
    assert.equal(cli('validate').code, 0);
    assert.equal(fingerprint(), before, "the LB's config or state file changed");

    // A new config's state file does not exist yet: status reads everything else and says how it is made.
    stateFile = lb.stateFile;
    stateFolderExisted = existsSync(path.dirname(stateFile));
    assert.ok(!existsSync(stateFile), `${stateFile} is left from an earlier run`);
    const first = cli('status', '--json');
    const snapshot = JSON.parse(first.stdout) as { apps: { live: string; drift: { kind: string; message: string }[]; slots: Record<string, { health: string; role: string }> }[] };
    assert.equal(snapshot.apps[0].live, 'blue');
    assert.deepEqual(Object.values(snapshot.apps[0].slots).map((s) => `${s.role} ${s.health}`), ['LIVE up', 'STANDBY up']);
    assert.deepEqual(snapshot.apps[0].drift.map((d) => d.kind), ['state-file-missing']);
    assert.match(snapshot.apps[0].drift[0].message, /bluegreen reconcile, writes it now/);
    // The first operation makes the state file's folder (its lock is the first file there).
    const reconcile = cli('reconcile', '--yes');
    assert.equal(reconcile.code, 0, reconcile.stderr);
    const status = cli('status');
    assert.equal(status.code, 0, `${status.stdout}\n${status.stderr}`);
    assert.match(status.stdout, /demo: LIVE BLUE/);
    assert.equal(readFileSync(lab().haproxyConfig, 'utf8'), haproxyBefore, 'haproxy.cfg changed');
  });

  it('never overwrites a config: a second init is refused (exit 3) and the file is as it was', () => {
    const file = path.join(workspace, 'bluegreen.yaml');
    writeFileSync(file, '# mine\n');
    const r = cli('init', 'lab-lb', '--app', 'demo', '--ssh-config', lab().sshConfig);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /bluegreen\.yaml already exists; nothing was written/);
    assert.equal(readFileSync(file, 'utf8'), '# mine\n');
  });
});
