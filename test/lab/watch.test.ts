import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { takeSnapshot } from '../../src/core/status/refresh';
import { labConfig, labRunner, readState, requestLoop, resetLab, served } from './helpers';
import { lab } from './setup';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('a long watch outlives the process that started it (the lab, real CLI processes)', function () {
  this.timeout(180_000);
  let workspace: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const started = (...args: string[]) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const ended = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    return { child, out, ended };
  };
  const until = async (what: string, test: () => boolean | Promise<boolean>, ms = 30_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await test()) return;
    assert.fail(`timed out waiting for ${what}`);
  };
  const status = async () => {
    const runner = labRunner();
    try {
      return (await takeSnapshot(runner, labConfig())).apps[0];
    } finally {
      runner.dispose();
    }
  };
  let running: ChildProcess | undefined;

  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-watch-'));
    writeFileSync(path.join(workspace, 'bluegreen.yaml'), readFileSync(lab().configFile, 'utf8').replace('watchSeconds: 2', 'watchSeconds: 300'));
  });
  afterEach(() => running?.kill('SIGKILL'));
  after(async function () {
    this.timeout(120_000);
    await resetLab();
  });

  it('a release killed while watching leaves the watch recorded: the status says nobody watches it, deploy refuses to touch the slot to switch back to', async () => {
    const release = started('release', '--yes');
    running = release.child;
    await until('the watch to start', () => /Watch GREEN for 5 min/.test(release.out.stderr));
    release.child.kill('SIGKILL');
    await release.ended;
    assert.equal(await served(), 'green 1.1.0');
    const w = readState().watch as { slot: string; until: string; by: string };
    assert.equal(w.slot, 'green');
    assert.ok(Date.parse(w.until) > Date.now() + 200_000);
    await until('the killed process to let go of the lock', async () => !(await status()).lb.lock);
    const app = await status();
    assert.ok(app.drift.some((d) => d.kind === 'watch-interrupted' && /nobody is watching/.test(d.message)), JSON.stringify(app.drift));
    const deploy = cli('deploy', '--yes');
    assert.equal(deploy.code, 3, deploy.stderr);
    assert.match(deploy.stderr, /GREEN is being watched after its release .* BLUE is the slot it would switch back to/);
  });

  it('bluegreen watch resumes it (holding the lock, shown as watching); bluegreen watch --stop from another process ends it and removes the record', async () => {
    const resumed = started('watch');
    running = resumed.child;
    await until('the resumed watch to start watching', () => /==> Watch GREEN for \d+ min/.test(resumed.out.stderr));
    assert.match(resumed.out.stderr, /Resuming the watch of GREEN started by .*: \d+ min left/);
    assert.equal((await status()).lb.lock?.operation, 'watch', 'the resumed watch does not hold the lock');
    const stop = cli('watch', '--stop');
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /the watch run by .* stopped/);
    assert.equal(await resumed.ended, 0, resumed.out.stderr);
    assert.match(resumed.out.stdout, /The watch of GREEN stopped by .*; LIVE is GREEN/);
    assert.equal(readState().watch, undefined);
    assert.equal(await served(), 'green 1.1.0');
    assert.ok(!(await status()).drift.some((d) => d.kind === 'watch-interrupted'));
    assert.equal(cli('watch').stdout.trim(), 'demo: no watch is recorded in the state file; nothing to resume.');
  });

  it('a resumed watch switches back when HAProxy counts 5xx from the watched LIVE, and the history says why (exit 1)', async () => {
    const state = readState();
    writeFileSync(lab().stateFile, JSON.stringify({ ...state, watch: { slot: 'green', until: new Date(Date.now() + 60_000).toISOString(), since: new Date().toISOString(), by: 'ann@laptop' } }));
    const failing = path.join(lab().hosts.green.home, 'failing');
    writeFileSync(failing, '');
    const load = requestLoop(`${lab().frontendUrl}/`);
    try {
      // Not spawnSync: the request loop runs in this process.
      const resumed = started('watch');
      running = resumed.child;
      assert.equal(await resumed.ended, 1, resumed.out.stderr);
      assert.match(resumed.out.stderr, /answered 5xx .*switched back automatically: LIVE is BLUE/);
    } finally {
      await load.stop();
      rmSync(failing, { force: true });
    }
    assert.equal(await served(), 'blue 1.1.0');
    const after = readState();
    assert.equal(after.live, 'blue');
    assert.equal(after.watch, undefined);
    const last = (after.history as { kind: string; reason: string }[]).at(-1)!;
    assert.equal(last.kind, 'auto-rollback');
    assert.match(last.reason, /GREEN is failing after the switch: \d+ of \d+ requests HAProxy sent to it answered 5xx/);
  });
});
