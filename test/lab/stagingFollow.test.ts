// `bluegreen staging --follow` on the lab: pushes to the origin's develop reach staging, one
// deploy at a time, the newest tip only, a failed tip not retried. The suite moves develop, so
// the lab is reset after it.
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAGING_HOST } from '../../lab/topology';
import { getJson } from './helpers';
import { lab } from './setup';
import { CLI, originTip, production, readRecord, stagingWorkspace, whileStagingUnhealthy } from './stagingLab';

const short = (commit: string) => commit.slice(0, 7);

/** A clone of the origin on develop, to push commits a person wrote, as they would. */
function developClone(): { push(message: string): string; done(): void } {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bg-follow-push-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@bluegreen.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@bluegreen.invalid' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '-q', '--branch', 'develop', lab().origin, work], { env });
  return {
    push(message) {
      appendFileSync(path.join(work, 'CHANGES.md'), `- ${message}\n`);
      git('commit', '-q', '-am', message);
      git('push', '-q', 'origin', 'develop');
      return git('rev-parse', 'HEAD');
    },
    done: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** `bluegreen staging --follow …` running in the background, its stdout read line by line. */
function following(cwd: string, ...args: string[]): { waitFor(pattern: RegExp, ms?: number): Promise<string>; stop(): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> } {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args, 'staging', '--follow'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    async waitFor(pattern, ms = 90_000) {
      for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        const line = stdout.split('\n').find((l) => pattern.test(l));
        if (line) return line;
        if (child.exitCode !== null) break;
      }
      child.kill('SIGKILL');
      assert.fail(`no line matching ${pattern} (exit ${child.exitCode}):\n${stdout}\n--- stderr:\n${stderr.split('\n').slice(-30).join('\n')}`);
    },
    async stop() {
      const started = Date.now();
      child.kill('SIGINT');
      const code = await ended;
      return { code, stdout, stderr, ms: Date.now() - started };
    },
  };
}

async function stagingRuns(): Promise<unknown> {
  const r = await getJson(`http://${lab().hosts[STAGING_HOST].address}:${lab().appPort}/api/health`);
  assert.equal(r.status, 200);
  return r.body.commit;
}

describe('staging follows its branch against the lab (bluegreen staging --follow)', function () {
  this.timeout(300_000);
  const { cli, dir, configWith } = stagingWorkspace('bg-follow-', true);
  let clone: ReturnType<typeof developClone>;
  before(() => (clone = developClone()));
  after(() => clone?.done());

  it('--once deploys a pushed tip and records it passed; run again, it deploys nothing; bluegreen staging says staging runs the tip', async () => {
    const before = production();
    const a = clone.push('Follow: A');
    assert.equal(originTip('develop'), a);
    const r = cli('staging', '--follow', '--once');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`develop is at ${short(a)}\n.*deploying ${short(a)} to staging\n.*Staging runs v1\\.3\\.0 ${short(a)}: passed`));
    const [last] = readRecord().history;
    assert.deepEqual([last.commit, last.passed, last.health], [a, true, 'passed']);
    assert.equal(await stagingRuns(), a);
    assert.deepEqual(production(), before, 'following changed HAProxy, the state file or a slot');

    const entries = readRecord().history.length;
    const again = cli('staging', '--follow', '--once');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`staging runs ${short(a)}, develop's tip, and it passed`));
    assert.doesNotMatch(again.stdout, /deploying/);
    assert.equal(readRecord().history.length, entries, 'a second check deployed again');

    const shown = cli('staging');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^staging \\(develop, on lab-staging\\): v1\\.3\\.0 ${short(a)} passed`));
    assert.match(shown.stdout, new RegExp(`develop is at ${short(a)}: staging runs it`));
  });

  it('tips pushed during a deploy are skipped to the newest: the record shows A then C, never B; Ctrl-C ends it with 0', async () => {
    // A build that takes a while, so that B and C arrive while A is being deployed.
    const slow = configWith('slow.yaml', (y) => y.replace('      build: npm run build\n', '      build: sleep 12 && npm run build\n'));
    const a = clone.push('Follow: slow A');
    const follow = following(dir(), '--config', slow, '--interval', '5');
    await follow.waitFor(new RegExp(`deploying ${short(a)} to staging`));
    const b = clone.push('Follow: B');
    await follow.waitFor(new RegExp(`develop is at ${short(b)}`));
    const c = clone.push('Follow: C');
    await follow.waitFor(new RegExp(`Staging runs v1\\.3\\.0 ${short(c)}: passed`), 120_000);
    const stopped = await follow.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.ok(stopped.ms < 10_000, `Ctrl-C took ${stopped.ms} ms to end it`);
    // B was seen before A's deploy ended (else the deploy of A would have ended first, and B been deployed).
    const lines = stopped.stdout.split('\n');
    const seenB = lines.findIndex((l) => l.includes(`develop is at ${short(b)}`));
    const deployedA = lines.findIndex((l) => new RegExp(`Staging runs v1\\.3\\.0 ${short(a)}:`).test(l));
    assert.ok(seenB >= 0 && seenB < deployedA, stopped.stdout);
    assert.match(stopped.stdout, new RegExp(`skipped ${short(b)}: develop moved on to ${short(c)} during the deploy`));
    assert.doesNotMatch(stopped.stdout, new RegExp(`deploying ${short(b)}`));

    const history = readRecord().history;
    assert.deepEqual(history.slice(0, 2).map((e) => [e.commit, e.passed]), [[c, true], [a, true]]);
    assert.ok(!history.some((e) => e.commit === b), 'B was deployed');
    assert.equal(await stagingRuns(), c);
  });

  it('Ctrl-C during a deploy ends it (exit 0) and records it cancelled, which is no failure: the next check deploys the tip again', async () => {
    const slow = configWith('slow-cancel.yaml', (y) => y.replace('      build: npm run build\n', '      build: sleep 20 && npm run build\n'));
    const f = clone.push('Follow: F, cancelled');
    const follow = following(dir(), '--config', slow, '--interval', '5');
    await follow.waitFor(new RegExp(`deploying ${short(f)} to staging`));
    await new Promise((r) => setTimeout(r, 2000));
    const stopped = await follow.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.ok(stopped.ms < 10_000, `Ctrl-C took ${stopped.ms} ms to end it`);
    const [cancelled] = readRecord().history;
    assert.deepEqual([cancelled.commit, cancelled.passed, cancelled.cancelled], [f, false, true]);
    assert.match(cli('staging').stdout, new RegExp(`${short(f)} CANCELLED at "`));
    // The lab's config notifies its receiver: a cancelled deploy is not announced as a failure.
    const told = readFileSync(lab().webhooks!.log, 'utf8').split('\n').filter((l) => l.includes(f));
    assert.deepEqual(told.filter((l) => l.includes('staging-failed')), [], 'a cancelled deploy was announced as failed');

    const again = cli('staging', '--follow', '--once');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`deploying ${short(f)} to staging`));
    assert.deepEqual([readRecord().history[0].commit, readRecord().history[0].passed], [f, true]);
    // The same receiver does hear of the commit once a deploy of it ends.
    const later = readFileSync(lab().webhooks!.log, 'utf8').split('\n').filter((l) => l.includes(f));
    assert.equal(later.filter((l) => l.includes('staging-passed')).length, 1, later.join('\n'));
  });

  it('a tip that failed on staging is not retried (exit 1, then nothing) until develop moves again', async () => {
    const fast = configWith('fast-health.yaml', (y) => y.replace('      branch: develop\n', '      branch: develop\n      health: { attempts: 3, intervalMs: 200 }\n'));
    const d = clone.push('Follow: D');
    const failed = whileStagingUnhealthy(() => cli('--config', fast, 'staging', '--follow', '--once'));
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stdout, new RegExp(`error: Wait for staging to be healthy failed on lab-staging: .*; ${short(d)} is not tried again until develop moves`));
    assert.deepEqual([readRecord().history[0].commit, readRecord().history[0].passed], [d, false]);
    const entries = readRecord().history.length;

    // Healthy again, but D is what failed: following waits for develop to move.
    const again = cli('--config', fast, 'staging', '--follow', '--once');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`${short(d)} failed on staging; not tried again until develop moves`));
    assert.doesNotMatch(again.stdout, /deploying/);
    assert.equal(readRecord().history.length, entries);
    const shown = cli('staging');
    assert.equal(shown.code, 1, shown.stdout);
    assert.match(shown.stdout, new RegExp(`${short(d)} FAILED at "Wait for staging to be healthy"`));

    const e = clone.push('Follow: E, the fix');
    const fixed = cli('--config', fast, 'staging', '--follow', '--once');
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.deepEqual([readRecord().history[0].commit, readRecord().history[0].passed], [e, true]);
    assert.equal(await stagingRuns(), e);
  });

  it('refuses an interval outside 5..3600 s and --once without --follow (exit 2), deploying nothing', () => {
    const entries = readRecord().history.length;
    for (const args of [['--follow', '--interval', '4'], ['--follow', '--interval', '3601'], ['--once']]) {
      const r = cli('staging', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.match(cli('staging', '--follow', '--interval', '1').stderr, /--interval takes whole seconds from 5 to 3600, not "1"/);
    assert.equal(readRecord().history.length, entries);
  });
});
