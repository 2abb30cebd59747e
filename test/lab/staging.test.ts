// Runs on a lab with a staging host: a lab started with --staging is used as it is; the suite's
// own lab gets one for these tests, and is put back as it was after them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STAGING_HOST } from '../../lab/topology';
import { preApproved } from '../../src/core/plan/confirm';
import { redact } from '../../src/core/redact';
import { stagingFiles } from '../../src/core/state/stagingRecord';
import { serverHost } from '../../src/core/config/hostRefs';
import { acquireLock } from '../../src/core/workflows/parts/lock';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { getJson, labConfig, labRunner } from './helpers';
import { lab } from './setup';
import { originTip, production, readRecord, recordFile, stagingHome, stagingWorkspace, whileStagingUnhealthy } from './stagingLab';

const developTip = () => originTip('develop');

function lockIsFree(): boolean {
  const { lock } = stagingFiles(path.join(stagingHome(), 'app'), 'demo');
  return execFileSync('sh', ['-c', 'flock -n "$1" true && echo free || echo held', 'sh', lock], { encoding: 'utf8' }).trim() === 'free';
}

describe('deploy to staging against the lab (--staging)', function () {
  this.timeout(300_000);
  const { cli, configWith } = stagingWorkspace('bg-staging-');

  it("deploys develop's tip to staging and records it passed; HAProxy and both slots are untouched; status shows it", async () => {
    const before = production();
    const tip = developTip();
    const r = cli('deploy', '--to', 'staging', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Deploy develop \\(v1\\.3\\.0, ${tip.slice(0, 7)}\\) to staging\\?`));
    assert.match(r.stdout, new RegExp(`^Staging runs v1\\.3\\.0 ${tip.slice(0, 7)} \\(develop\\): passed; recorded on lab-staging\\. The load balancer and the slots are unchanged\\.`));
    const health = await getJson(`http://${lab().hosts[STAGING_HOST].address}:${lab().appPort}/api/health`);
    assert.deepEqual([health.status, health.body.version, health.body.commit, health.body.environment], [200, '1.3.0', tip, 'staging']);

    const [last] = readRecord().history;
    assert.equal(readRecord().app, 'demo');
    assert.deepEqual([last.passed, last.commit, last.version, last.ref, last.health, last.failedStep], [true, tip, '1.3.0', 'develop', 'passed', undefined]);
    assert.match(last.who, /^\S+@\S+$/);
    assert.ok(Date.now() - Date.parse(last.at) < 300_000, last.at);
    assert.deepEqual(production(), before, 'a deploy to staging changed HAProxy, the state file or a slot');
    assert.ok(lockIsFree(), "staging's lock was left behind");

    const json = cli('status', '--json');
    const staging = (JSON.parse(json.stdout) as { apps: { staging?: { status: string; branch: string; last?: { commit: string; passed: boolean; version: string; who: string } } }[] }).apps[0].staging!;
    assert.deepEqual([staging.status, staging.branch, staging.last?.commit, staging.last?.passed, staging.last?.version, staging.last?.who], ['ok', 'develop', tip, true, '1.3.0', last.who]);
    const text = cli('status');
    assert.match(text.stdout, new RegExp(`staging \\(develop, on lab-staging\\): v1\\.3\\.0 ${tip.slice(0, 7)} passed \\S+ by ${last.who.replace(/[.]/g, '\\.')}`));
  });

  it('records a deploy whose health check fails as failed, with the step; the last pass stays in the history; exit 1', () => {
    const before = production();
    const passedBefore = readRecord().history[0];
    const config = configWith('unhealthy.yaml', (y) => y.replace('      branch: develop\n', '      branch: develop\n      health: { attempts: 3, intervalMs: 200 }\n'));
    const r = whileStagingUnhealthy(() => cli('--config', config, 'deploy', '--to', 'staging', '--yes'));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Wait for staging to be healthy failed on lab-staging: not healthy after 3 checks \(HTTP 503\)/);
    const [failed, previous] = readRecord().history;
    assert.deepEqual([failed.passed, failed.failedStep, failed.health, failed.commit], [false, 'Wait for staging to be healthy', 'failed', developTip()]);
    assert.match(failed.detail!, /HTTP 503/);
    assert.deepEqual(previous, passedBefore);
    assert.deepEqual(production(), before, 'a failed deploy to staging changed HAProxy, the state file or a slot');
    assert.ok(lockIsFree(), "staging's lock was left behind");
    const staging = (JSON.parse(cli('status', '--json').stdout) as { apps: { staging: { last: { passed: boolean; failedStep: string } } }[] }).apps[0].staging;
    assert.deepEqual([staging.last.passed, staging.last.failedStep], [false, 'Wait for staging to be healthy']);
    assert.match(cli('status').stdout, /staging \(develop, on lab-staging\): v1\.3\.0 [0-9a-f]{7} FAILED at "Wait for staging to be healthy"/);
  });

  it('exit codes: 2 for bad usage, 3 without a staging:, 5 unconfirmed, 4 while another holds staging\'s lock; none of them records anything', async () => {
    const record = readFileSync(recordFile(), 'utf8');
    const before = production();
    for (const args of [['--to', 'production'], ['--to', 'staging', '--allow-unsafe-migrations']]) {
      const r = cli('deploy', ...args, '--yes');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    const without = configWith('no-staging.yaml', (y) => y.replace(/ {4}staging:\n( {6}.*\n)+/, ''));
    const none = cli('--config', without, 'deploy', '--to', 'staging', '--yes');
    assert.equal(none.code, 3, none.stderr);
    assert.match(none.stderr, /demo has no staging: in bluegreen\.yaml/);
    // No terminal and no --yes: nobody said yes.
    const unconfirmed = cli('deploy', '--to', 'staging');
    assert.equal(unconfirmed.code, 5, unconfirmed.stderr);

    const holder = labRunner();
    const app = labConfig().apps[0];
    const first = app.staging!.servers[0];
    const files = stagingFiles(first.dir, app.name);
    const lock = await acquireLock({ runner: holder, app, reporter: new RecordingReporter(), confirm: preApproved(), who: redact('bob@ci') }, 'deploy develop to staging', '', { host: serverHost(first), name: first.name, file: files.lock, folder: files.folder });
    try {
      // The LB's lock is free all along: staging's is its own.
      assert.ok(!existsSync(`${lab().stateFile}.lock`) || execFileSync('sh', ['-c', 'flock -n "$1" true && echo free', 'sh', `${lab().stateFile}.lock`], { encoding: 'utf8' }).trim() === 'free');
      const locked = cli('deploy', '--to', 'staging', '--yes');
      assert.equal(locked.code, 4, locked.stderr);
      assert.match(locked.stderr, /locked by bob@ci/);
    } finally {
      await lock.release();
      holder.dispose();
    }
    assert.equal(readFileSync(recordFile(), 'utf8'), record);
    assert.deepEqual(production(), before);
  });
});
