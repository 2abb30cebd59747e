// notify: on the lab's webhook receiver (`up --staging`): each event reaches it with its fields,
// and a webhook that answers 500 or never answers changes nothing but a line of output.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { preApproved } from '../../src/core/plan/confirm';
import { redact } from '../../src/core/redact';
import { release } from '../../src/core/workflows/release';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { labConfig, labRunner, readState, served } from './helpers';
import { lab } from './setup';
import { originTip, production, readRecord, stagingWorkspace, whileStagingUnhealthy } from './stagingLab';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

interface Received {
  at: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function receiver(): { url: string; log: string } {
  assert.ok(lab().webhooks, 'the lab has no webhook receiver (lab.json has no webhooks)');
  return lab().webhooks!;
}

/** Everything the receiver recorded, oldest first. */
function received(): Received[] {
  return readFileSync(receiver().log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Received);
}

/** What arrived since `mark` (a count of received()). */
function since(mark: number): Received[] {
  return received().slice(mark);
}

function jsonOf(r: Received): Record<string, unknown> {
  assert.equal(r.headers['content-type'], 'application/json');
  return JSON.parse(r.body) as Record<string, unknown>;
}

/** The lab's notify: (its /ok) replaced by these entries. */
function notifying(...entries: string[]): (yaml: string) => string {
  return (y) => y.replace(`notify:\n  - url: ${receiver().url}/ok\n`, `notify:\n${entries.map((e) => `  - ${e}\n`).join('')}`);
}

function lockIsFree(): boolean {
  return execFileSync('sh', ['-c', 'flock -n "$1" true && echo free || echo held', 'sh', `${lab().stateFile}.lock`], { encoding: 'utf8' }).trim() === 'free';
}

describe('notify against the lab (--staging: the webhook receiver)', function () {
  this.timeout(300_000);
  const { cli, configWith, dir } = stagingWorkspace('bg-notify-', true);
  let both = '';
  let who = '';
  before(() => {
    const url = receiver().url;
    both = configWith('both.yaml', notifying(`url: ${url}/ok/json`, `{ url: ${url}/ok/slack, format: slack }`));
  });

  it('staging passed: the JSON body carries the event fields, the Slack body one sentence', () => {
    const mark = received().length;
    const tip = originTip('develop');
    const r = cli('--config', both, 'deploy', '--to', 'staging', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Webhook/);
    const got = since(mark);
    assert.deepEqual(got.map((g) => g.path).sort(), ['/ok/json', '/ok/slack']);
    const json = jsonOf(got.find((g) => g.path === '/ok/json')!);
    who = readRecord().history[0].who;
    assert.deepEqual({ ...json, time: undefined, text: undefined }, { event: 'staging-passed', app: 'demo', to: 'staging', versions: { to: '1.3.0' }, commits: { to: tip }, who, time: undefined, text: undefined });
    assert.ok(Math.abs(Date.parse(String(json.time)) - Date.now()) < 120_000, String(json.time));
    const slack = jsonOf(got.find((g) => g.path === '/ok/slack')!);
    assert.deepEqual(slack, { text: `v1.3.0 passed staging — ready for production (demo, ${tip.slice(0, 7)}, by ${who})` });
    assert.equal(json.text, slack.text);
  });

  it('staging failed: the failed step and what it said', () => {
    const mark = received().length;
    const config = configWith('failing.yaml', (y) => notifying(`url: ${receiver().url}/ok/json`)(y).replace('      branch: develop\n', '      branch: develop\n      health: { attempts: 3, intervalMs: 200 }\n'));
    const r = whileStagingUnhealthy(() => cli('--config', config, 'deploy', '--to', 'staging', '--yes'));
    assert.equal(r.code, 1, r.stderr);
    const got = since(mark);
    assert.equal(got.length, 1, JSON.stringify(got));
    const json = jsonOf(got[0]);
    assert.deepEqual([json.event, json.failedStep, (json.commits as { to: string }).to], ['staging-failed', 'Wait for staging to be healthy', originTip('develop')]);
    assert.match(String(json.detail), /HTTP 503/);
    assert.match(String(json.text), /^v1\.3\.0 failed staging at Wait for staging to be healthy \(.*HTTP 503.*\) — not ready for production \(demo, [0-9a-f]{7}, by /);
  });

  it('release, emergency release and rollback: from → to, versions, commits, who, how it was approved, the reason', async () => {
    const deployed = cli('--config', both, 'deploy', '--ref', 'v1.2.0', '--yes');
    assert.equal(deployed.code, 0, deployed.stderr);
    const [blue, green] = ['blue', 'green'].map((s) => execFileSync('git', ['-C', path.join(lab().hosts[s].home, 'app'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());

    let mark = received().length;
    const r = cli('--config', both, 'release', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await served(), 'green 1.2.0');
    let got = since(mark);
    assert.deepEqual(got.map((g) => g.path).sort(), ['/ok/json', '/ok/slack']);
    let json = jsonOf(got.find((g) => g.path === '/ok/json')!);
    assert.deepEqual({ ...json, time: undefined }, { event: 'release', app: 'demo', from: 'blue', to: 'green', versions: { from: '1.1.0', to: '1.2.0' }, commits: { from: blue, to: green }, who, approvedVia: '--yes', time: undefined, text: `v1.2.0 on GREEN is LIVE, replacing v1.1.0 on BLUE (demo, ${green.slice(0, 7)}, by ${who})` });

    mark = received().length;
    assert.equal(cli('--config', both, 'rollback', '--yes').code, 0);
    json = jsonOf(since(mark).find((g) => g.path === '/ok/json')!);
    assert.deepEqual([json.event, json.from, json.to, json.versions, json.commits], ['rollback', 'green', 'blue', { from: '1.2.0', to: '1.1.0' }, { from: green, to: blue }]);
    assert.match(String(json.text), /^Rolled back: v1\.1\.0 on BLUE is LIVE again, replacing v1\.2\.0 on GREEN/);

    mark = received().length;
    const emergency = cli('--config', both, 'release', '--emergency', '--reason', 'checkout is down, DB_PASSWORD=hunter2 rotated', '--yes');
    assert.equal(emergency.code, 0, emergency.stderr);
    got = since(mark);
    json = jsonOf(got.find((g) => g.path === '/ok/json')!);
    assert.deepEqual([json.event, json.from, json.to], ['emergency-release', 'blue', 'green']);
    assert.match(String(json.reason), /^checkout is down, DB_PASSWORD=\*\*\* rotated$/);
    const slack = jsonOf(got.find((g) => g.path === '/ok/slack')!);
    assert.match(String(slack.text), /^Emergency release: v1\.2\.0 on GREEN is LIVE without the health gate, replacing v1\.1\.0 on BLUE — reason: checkout is down/);
    assert.ok(!got.some((g) => g.body.includes('hunter2')), 'a body carried the password');
    assert.equal(cli('--config', both, 'rollback', '--yes').code, 0);
  });

  it('canary started and ended', () => {
    let mark = received().length;
    assert.equal(cli('--config', both, 'canary', '10', '--yes').code, 0);
    let json = jsonOf(since(mark).find((g) => g.path === '/ok/json')!);
    assert.deepEqual([json.event, json.from, json.to, json.percent], ['canary-started', 'blue', 'green', 10]);
    assert.match(String(json.text), /^Canary: 10% of the clients go to v1\.2\.0 on GREEN, the rest to v1\.1\.0 on BLUE/);
    mark = received().length;
    assert.equal(cli('--config', both, 'canary', '--abort', '--yes').code, 0);
    json = jsonOf(since(mark).find((g) => g.path === '/ok/json')!);
    assert.deepEqual([json.event, json.from, json.to], ['canary-ended', 'green', 'blue']);
    assert.match(String(json.text), /^The canary ended: every client goes to v1\.1\.0 on BLUE again/);
  });

  it('the watch switching back is its own event, with why', async () => {
    const runner = labRunner();
    const unhealthy = path.join(lab().hosts.green.home, 'unhealthy');
    const reporter = new RecordingReporter();
    const step = reporter.step.bind(reporter);
    // GREEN starts failing the moment the watch opens.
    reporter.step = (title, host) => {
      if (title.startsWith('Watch GREEN')) writeFileSync(unhealthy, '');
      step(title, host);
    };
    const mark = received().length;
    try {
      const app = labConfig('default', (y) => notifying(`url: ${receiver().url}/ok/json`)(y).replace('watchSeconds: 2', 'watchSeconds: 10')).apps[0];
      await assert.rejects(release({ runner, app, reporter, confirm: preApproved(), who: redact('tester@lab') }), (e: unknown) => e instanceof WorkflowError && /switched back automatically/.test(e.message));
    } finally {
      rmSync(unhealthy, { force: true });
      runner.dispose();
    }
    assert.equal(await served(), 'blue 1.1.0');
    const events = since(mark).map(jsonOf);
    assert.deepEqual(events.map((e) => e.event), ['release', 'switch-back']);
    const back = events[1];
    assert.deepEqual([back.from, back.to, back.who, back.versions], ['green', 'blue', 'tester@lab', { from: '1.2.0', to: '1.1.0' }]);
    assert.match(String(back.reason), /GREEN/);
    assert.match(String(back.text), /^v1\.2\.0 on GREEN failed after the release; traffic was switched back to v1\.1\.0 on BLUE automatically — reason: /);
  });

  it('a webhook that answers 500 or never answers changes nothing but a line: exit 0, the same outcome, within the bound, the lock not held meanwhile', async () => {
    const url = receiver().url;
    const failing = configWith('failing-hooks.yaml', notifying(`url: ${url}/fail/s3cr3t`, `{ url: ${url}/hang/s3cr3t, timeoutSeconds: 5 }`));
    const host = new URL(url).host;

    // A deploy to staging: passed and recorded as without notify; production untouched.
    const untouched = production();
    let mark = received().length;
    const tip = originTip('develop');
    const staged = cli('--config', failing, 'deploy', '--to', 'staging', '--yes');
    assert.equal(staged.code, 0, staged.stderr);
    assert.match(staged.stdout, new RegExp(`^Staging runs v1\\.3\\.0 ${tip.slice(0, 7)} \\(develop\\): passed`));
    assert.deepEqual([readRecord().history[0].passed, readRecord().history[0].commit], [true, tip]);
    assert.match(staged.stderr, new RegExp(`warning: Webhook http://${host.replace(/\./g, '\\.')}/\\*\\*\\* \\(staging-passed\\) answered HTTP 500; the deploy to staging is unaffected`));
    assert.match(staged.stderr, /warning: Webhook http:\/\/\S+\/\*\*\* \(staging-passed\) did not answer in 5 s; the deploy to staging is unaffected/);
    assert.doesNotMatch(staged.stderr + staged.stdout, /s3cr3t/);
    assert.deepEqual(since(mark).map((g) => g.path).sort(), ['/fail/s3cr3t', '/hang/s3cr3t']);
    assert.deepEqual(production(), untouched);

    // A release, run beside: while the webhook hangs, the production lock is already free.
    const before = readState();
    mark = received().length;
    const child = spawn(process.execPath, [CLI, '--config', failing, 'release', '--yes'], { cwd: dir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    let hungAt = 0;
    let freeWhileWaiting = false;
    // Until the CLI ends: when the hanging post started, and whether the lock was free while the CLI still waited.
    for (const until = Date.now() + 120_000; code === undefined && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      if (!hungAt && since(mark).some((g) => g.path === '/hang/s3cr3t')) hungAt = Date.now();
      if (hungAt && lockIsFree() && code === undefined) freeWhileWaiting = true;
    }
    await exited;
    const tookAfterPost = Date.now() - hungAt;
    assert.ok(hungAt, `the release never posted to the hanging webhook: ${stderr}`);
    assert.equal(code, 0, stderr);
    // Posted once the switch was recorded, before the 2 s watch; the CLI waits for it only after the lock is released.
    assert.ok(tookAfterPost >= 4000 && tookAfterPost < 5000 + 2500, `the CLI ended ${tookAfterPost} ms after the hanging post started; its bound is 5 s`);
    assert.ok(freeWhileWaiting, 'the production lock was held while the CLI waited for the webhook');
    assert.ok(lockIsFree(), 'a lock was left behind');
    assert.match(stdout, /LIVE is GREEN v1\.2\.0 \(was BLUE\)/);
    assert.equal(await served(), 'green 1.2.0');
    const after = readState();
    assert.equal(after.live, 'green');
    assert.equal(after.switchCount, (before.switchCount as number) + 1);
    assert.match(stderr, /warning: Webhook http:\/\/\S+\/\*\*\* \(release\) answered HTTP 500; the release is unaffected/);
    assert.match(stderr, /warning: Webhook http:\/\/\S+\/\*\*\* \(release\) did not answer in 5 s; the release is unaffected/);
    assert.doesNotMatch(stderr + stdout, /s3cr3t/);
    assert.equal(cli('--config', both, 'rollback', '--yes').code, 0);
  });
});
