import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock } from '../../src/core/workflows/parts/lock';
import { preApproved } from '../../src/core/plan/confirm';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { served, labConfig, labRunner, readState, reloadHaproxy, reloadHaproxyUntilServing, resetLab, workerPid } from './helpers';
import { lab } from './setup';
import { redact } from '../../src/core/redact';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let workspace: string;

function cliAsync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('bluegreen CLI against the lab', function () {
  this.timeout(180_000);
  before(() => {
    // Not a git checkout: the default deploy ref is the configured branch tip.
    workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-cli-'));
    copyFileSync(lab().configFile, path.join(workspace, 'bluegreen.yaml'));
  });
  after(async function () {
    this.timeout(120_000);
    await resetLab();
  });

  it('status prints a table, and --json the Snapshot', () => {
    const table = cli('status');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /demo: LIVE BLUE/);
    assert.match(table.stdout, /BLUE\s+LIVE\s+up/);
    const json = cli('status', '--json');
    const snapshot = JSON.parse(json.stdout) as { apps: { live: string; slots: Record<string, { name: string; role: string; version: string }> }[] };
    assert.equal(snapshot.apps[0].live, 'blue');
    assert.deepEqual(Object.values(snapshot.apps[0].slots).map((s) => `${s.name} ${s.role} ${s.version}`), ['blue LIVE 1.1.0', 'green STANDBY 1.1.0']);
  });

  it('doctor: on an LB without option idle-close-on-response it exits 1 naming it; --fix --yes adds only that line, validated and reloaded; then it exits 0', async () => {
    const file = lab().haproxyConfig;
    const original = readFileSync(file, 'latin1');
    const without = original.replace('    option idle-close-on-response\n', '');
    assert.notEqual(without, original);
    writeFileSync(file, without, 'latin1');
    await reloadHaproxy();
    try {
      const found = cli('doctor');
      assert.equal(found.code, 1, found.stderr);
      assert.match(found.stdout, /1 problem\(s\) on lab-lb: option idle-close-on-response is not set for frontend "demo"\. 1 of them can be fixed by adding lines\./);
      assert.match(found.stderr, /resets the keep-alive connections/);
      const workerBefore = await workerPid();
      const fixed = cli('doctor', '--fix', '--yes');
      assert.equal(fixed.code, 0, fixed.stderr + fixed.stdout);
      assert.match(fixed.stdout, /Added the lines for 1 finding\(s\) and reloaded HAProxy; LIVE answers through the frontend\. The load balancer on lab-lb has everything a hitless release needs\./);
      assert.match(fixed.stderr, /\[lab-lb\] Configuration file is valid/);
      // Only the added line differs.
      const after = readFileSync(file, 'latin1').split('\n');
      const before = without.split('\n');
      const at = before.indexOf('frontend demo') + 1;
      assert.deepEqual(after, [...before.slice(0, at), '    option idle-close-on-response', ...before.slice(at)]);
      assert.equal(readFileSync(`${file}.bluegreen-previous`, 'latin1'), without, 'the previous config was not kept');
      for (const until = Date.now() + 5000; (await workerPid()) === workerBefore; await new Promise((r) => setTimeout(r, 50))) assert.ok(Date.now() < until, 'HAProxy was not reloaded');
      const again = cli('doctor');
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stderr, /ℹ HAProxy 2\.\d+/);
    } finally {
      writeFileSync(file, original, 'latin1');
      await reloadHaproxyUntilServing();
    }
  });

  it('doctor --fix on a config where the line cannot be placed safely (the frontend declared twice) changes nothing and gives the lines by hand', async () => {
    const file = lab().haproxyConfig;
    const original = readFileSync(file, 'latin1');
    // Not reloaded: HAProxy would refuse it; the doctor reads the file as it is.
    const twice = `${original.replace('    option idle-close-on-response\n', '')}\nfrontend demo\n    bind 127.77.0.1:8089\n    default_backend demo_green\n`;
    writeFileSync(file, twice, 'latin1');
    try {
      const r = cli('doctor', '--fix', '--yes');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /✗ the app's routing cannot be read: frontend "demo" is declared 2 times/);
      assert.match(r.stderr, /By hand: /);
      assert.doesNotMatch(r.stderr, /Add the lines and reload HAProxy/);
      assert.equal(readFileSync(file, 'latin1'), twice, 'the config was changed');
    } finally {
      writeFileSync(file, original, 'latin1');
      // The file is now newer than HAProxy's last load, which the next tests would see as an edit not reloaded.
      await reloadHaproxyUntilServing();
    }
  });

  it('smoke runs the smoke tests on both slots and exits 1 when STANDBY fails one; without smoke tests it says how to add them', async () => {
    const config = path.join(workspace, 'bluegreen.yaml');
    const original = readFileSync(config, 'utf8');
    const live = (await served()).split(' ')[0];
    const withSmoke = (checks: string) => original.replace('    release:\n', `    smoke:\n${checks}    release:\n`);
    try {
      const none = cli('smoke');
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, /demo has no smoke tests: add a smoke: list to bluegreen\.yaml/);
      writeFileSync(config, withSmoke(`      - { name: home page, path: /, contains: "on ${live}" }\n`));
      const failing = cli('smoke');
      assert.equal(failing.code, 1, failing.stdout + failing.stderr);
      assert.match(failing.stdout, new RegExp(`${live.toUpperCase()} \\(LIVE\\)\\n  ok     home page: HTTP 200`));
      assert.match(failing.stdout, /\(STANDBY\)\n {2}FAILED home page: the body does not contain/);
      writeFileSync(config, withSmoke('      - { path: /api/health, json: { field: status, equals: ok } }\n'));
      const passing = cli('smoke');
      assert.equal(passing.code, 0, passing.stdout + passing.stderr);
      assert.match(passing.stdout, /ok {5}GET \/api\/health: HTTP 200 in \d+ ms/);
    } finally {
      writeFileSync(config, original);
    }
  });

  it('row 1: refuses unknown host keys unless told their exact fingerprints, and writes no known_hosts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-hostkeys-'));
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const config = path.join(dir, 'bluegreen.yaml');
    writeFileSync(config, readFileSync(lab().configFile, 'utf8').replace(/^ssh:\n/m, `ssh:\n  knownHosts: ${knownHosts}\n`));
    const fingerprints = (['lb', 'blue', 'green'] as const).map((h) => execFileSync('ssh-keygen', ['-lf', path.join(lab().hosts[h].home, 'ssh_host_ed25519_key.pub')]).toString().split(' ')[1]);
    const refused = cli('--config', config, 'status');
    assert.equal(refused.code, 1);
    for (const fp of fingerprints) assert.ok(refused.stdout.includes(fp), `the refusal does not show ${fp}:\n${refused.stdout}`);
    assert.match(refused.stdout, /not in known_hosts/);
    const partly = cli('--config', config, 'status', '--accept-host-key', fingerprints[1]);
    assert.equal(partly.code, 1, 'accepting one key trusted the others');
    const accepted = cli('--config', config, 'status', ...fingerprints.flatMap((fp) => ['--accept-host-key', fp]));
    assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
    assert.equal(readFileSync(knownHosts, 'utf8'), '', 'known_hosts was written');
  });

  it('refuses to act without --yes when there is no terminal (exit 5), and on bad usage (exit 2)', async () => {
    const r = cli('release');
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /Pass --yes/);
    assert.equal(await served(), 'blue 1.1.0');
    assert.equal(cli('release', '--ref', 'x').code, 2);
    assert.equal(cli('frobnicate').code, 2);
    assert.equal(cli('release', '--emergency', '--yes').code, 2, 'an emergency without a reason must be refused');
  });

  it('exits 3 when a safety gate refuses, and 4 when another operation holds the lock', async () => {
    const unhealthy = path.join(lab().hosts.green.home, 'unhealthy');
    writeFileSync(unhealthy, '');
    try {
      const r = cli('release', '--yes');
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /GREEN is not healthy.*LIVE is unchanged: BLUE v1\.1\.0/);
    } finally {
      rmSync(unhealthy);
    }
    const holder = labRunner();
    const lock = await acquireLock({ runner: holder, app: labConfig().apps[0], reporter: new RecordingReporter(), confirm: preApproved(), who: redact('bob@ci') }, 'deploy', '');
    try {
      const r = cli('deploy', '--yes');
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /locked by bob@ci/);
    } finally {
      await lock.release();
      holder.dispose();
    }
  });

  it('row 17: two CLI processes releasing at once make exactly one switch; the other is told who holds the lock', async () => {
    const before = readState();
    const both = await Promise.all([cliAsync('release', '--yes'), cliAsync('release', '--yes')]);
    try {
      const codes = both.map((r) => r.code).sort();
      assert.deepEqual(codes, [0, 4], both.map((r) => r.stderr.split('\n').slice(-3).join(' | ')).join(' || '));
      assert.match(both.find((r) => r.code === 4)!.stderr, /locked by .* since .* \(release\)/);
      assert.equal(readState().switchCount, (before.switchCount as number) + 1);
      assert.equal(await served(), 'green 1.1.0');
    } finally {
      // The tests after this one start from BLUE LIVE, whatever happened here.
      if (readState().switchCount !== before.switchCount) assert.equal(cli('rollback', '--yes').code, 0);
    }
  });

  it('row 18: a CLI killed in the middle of a release leaves no lock behind', async () => {
    const child = spawn(process.execPath, [CLI, 'release', '--yes'], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        // Killed while it holds the lock, before it switches.
        if (err.includes('==> Detect roles and health')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the CLI ended before it took the lock: ${err}`)));
    });
    await new Promise((r) => child.once('exit', r));
    const started = Date.now();
    const r = cli('status');
    assert.equal(r.code, 0, r.stderr);
    const next = cli('release', '--yes');
    assert.equal(next.code, 0, `the next release did not get the lock: ${next.stderr}`);
    assert.ok(Date.now() - started < 60000);
    assert.equal(cli('rollback', '--yes').code, 0);
  });

  it('drives deploy → release → sync → rollback with exit codes scripts can rely on', async () => {
    const before = readState();
    let r = cli('deploy', '--ref', 'v1.2.0', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /GREEN \(STANDBY\) runs v1\.2\.0 at [0-9a-f]{7}\. LIVE is unchanged: BLUE v1\.1\.0\./);
    assert.match(r.stderr, /==> Build \(lab-green\)/);
    assert.equal(await served(), 'blue 1.1.0');

    r = cli('release', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /LIVE is GREEN v1\.2\.0 \(was BLUE\)/);
    assert.equal(await served(), 'green 1.2.0');

    r = cli('sync', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /BLUE \(STANDBY\) runs v1\.2\.0 at [0-9a-f]{7}, LIVE's commit: both slots match/);

    r = cli('rollback', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await served(), 'blue 1.2.0');
    const state = readState();
    assert.equal(state.switchCount, (before.switchCount as number) + 2);
    assert.deepEqual((state.history as { kind: string }[]).slice(-2).map((h) => h.kind), ['release', 'rollback']);
  });

  it('bump patch: raises the version, drafts the notes, commits, tags, pushes and deploys the tag to STANDBY', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'bg-bump-'));
    execFileSync('git', ['clone', '-q', lab().origin, repo]);
    execFileSync('git', ['-C', repo, 'config', 'user.name', 'Release Bot']);
    execFileSync('git', ['-C', repo, 'config', 'user.email', 'bot@bluegreen.invalid']);
    copyFileSync(lab().configFile, path.join(repo, 'bluegreen.yaml'));
    const r = spawnSync(process.execPath, [CLI, 'bump', 'patch', '--yes'], { cwd: repo, encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Released v1\.2\.1 \([0-9a-f]{7}\): (BLUE|GREEN) \(STANDBY\) runs v1\.2\.1/);
    assert.match(execFileSync('git', ['ls-remote', '--tags', lab().origin]).toString(), /refs\/tags\/v1\.2\.1/);
    const notes = execFileSync('git', ['-C', lab().origin, 'show', 'v1.2.1:release-notes/v1.2.1.md']).toString();
    assert.match(notes, /^# v1\.2\.1 — \d{4}-\d{2}-\d{2}/);
    assert.equal(JSON.parse(execFileSync('git', ['-C', lab().origin, 'show', 'v1.2.1:package.json']).toString()).version, '1.2.1');
    assert.equal(execFileSync('git', ['-C', lab().origin, 'log', '-1', '--format=%s', 'v1.2.1']).toString().trim(), 'Release v1.2.1');
    const status = JSON.parse(cli('status', '--json').stdout) as { apps: { standby: 'blue' | 'green'; slots: Record<'blue' | 'green', { version: string }> }[] };
    assert.equal(status.apps[0].slots[status.apps[0].standby].version, '1.2.1');
  });

  it('bump not confirmed (no terminal, no --yes): exit 5, and the workspace is as it was', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'bg-bump-'));
    execFileSync('git', ['clone', '-q', lab().origin, repo]);
    copyFileSync(lab().configFile, path.join(repo, 'bluegreen.yaml'));
    const r = spawnSync(process.execPath, [CLI, 'bump', 'minor'], { cwd: repo, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 5, r.stderr);
    assert.match(r.stderr, /Pass --yes/);
    assert.equal(execFileSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=all']).toString(), '?? bluegreen.yaml\n');
  });

  it('bump refuses a workspace with uncommitted changes, changing nothing', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'bg-bump-'));
    execFileSync('git', ['clone', '-q', lab().origin, repo]);
    copyFileSync(lab().configFile, path.join(repo, 'bluegreen.yaml'));
    writeFileSync(path.join(repo, 'server.js'), '// edited\n', { flag: 'a' });
    const r = spawnSync(process.execPath, [CLI, 'bump', 'minor', '--yes'], { cwd: repo, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /uncommitted changes/);
    assert.equal(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version, JSON.parse(execFileSync('git', ['-C', repo, 'show', 'HEAD:package.json']).toString()).version);
  });
});
