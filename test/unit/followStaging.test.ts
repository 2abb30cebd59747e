import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { intervalSeconds } from '../../src/cli/staging';
import { AppConfig } from '../../src/core/config/types';
import { BlueGreenError } from '../../src/core/errors';
import { stagingConfirmation } from '../../src/core/plan/render';
import { redact } from '../../src/core/redact';
import { remote } from '../../src/core/remote/scripts';
import { MARK_PREFIX } from '../../src/core/ssh/output';
import type { StagingDeployResult } from '../../src/core/workflows/deployToStaging';
import { followingConfirm } from '../../src/core/workflows/followStaging';
import { parseBranchTip } from '../../src/core/workflows/parts/branchTip';
import { decideFollow, LastRun } from '../../src/core/workflows/parts/followDecision';
import { FollowEvent, followLoop, FollowPorts } from '../../src/core/workflows/followLoop';
import { runLocally } from './localRunner';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(40));

describe('following a branch: the decision', () => {
  it('deploys a tip staging does not run; does nothing when it runs it and it passed', () => {
    assert.deepEqual(decideFollow(B, { commit: A, passed: true }, {}).decision, { action: 'deploy', commit: B });
    assert.deepEqual(decideFollow(B, undefined, {}).decision, { action: 'deploy', commit: B });
    assert.deepEqual(decideFollow(A, { commit: A, passed: true }, {}).decision, { action: 'unchanged', commit: A });
    // The record may hold a short id: it names the tip all the same.
    assert.deepEqual(decideFollow(A, { commit: A.slice(0, 7), passed: true }, {}).decision.action, 'unchanged');
    assert.deepEqual(decideFollow(A, { commit: 'aaa', passed: true }, {}).decision.action, 'deploy');
  });

  it('does not retry a tip that failed, by the record or by the loop’s memory, until the branch moves', () => {
    assert.deepEqual(decideFollow(A, { commit: A, passed: false }, {}).decision, { action: 'failed-before', commit: A });
    // Failed before it could record: the record still shows the previous deploy.
    const failedHere = decideFollow(B, { commit: A, passed: true }, { failed: B });
    assert.deepEqual([failedHere.decision, failedHere.memory], [{ action: 'failed-before', commit: B }, { failed: B }]);
    // The branch moved: the failure is forgotten, so a later return to B is a new push.
    const moved = decideFollow(C, { commit: A, passed: true }, { failed: B });
    assert.deepEqual([moved.decision, moved.memory], [{ action: 'deploy', commit: C }, {}]);
    // A deploy of the tip that a person cancelled (Ctrl-C on a follow) is no verdict: it is deployed again.
    assert.deepEqual(decideFollow(A, { commit: A, passed: false, cancelled: true }, {}).decision, { action: 'deploy', commit: A });
    // Someone deployed B to staging by hand and it passed: staging runs it, nothing to retry.
    assert.equal(decideFollow(B, { commit: B, passed: true }, { failed: B }).decision.action, 'unchanged');
  });
});

/** A branch and a staging in memory: the test moves the tip, deploys pass unless told otherwise. */
class FakeStaging implements FollowPorts {
  tip = A;
  last?: LastRun;
  readonly deploys: string[] = [];
  readonly events: FollowEvent[] = [];
  readonly controller = new AbortController();
  tipFails = 0;
  outcomes: ('pass' | 'fail' | 'throw' | 'locked')[] = [];
  /** Runs inside a deploy, before it ends: a push while it runs. */
  duringDeploy?: (commit: string) => Promise<void>;

  async readTip(): Promise<string> {
    if (this.tipFails > 0) {
      this.tipFails--;
      throw new BlueGreenError('connect-failed', 'lab-staging: connection refused');
    }
    return this.tip;
  }
  async readLastRun(): Promise<LastRun | undefined> {
    return this.last;
  }
  async deploy(commit: string): Promise<StagingDeployResult> {
    this.deploys.push(commit);
    await this.duringDeploy?.(commit);
    const outcome = this.outcomes.shift() ?? 'pass';
    // Failed before it could record: only the loop's memory knows.
    if (outcome === 'throw') {
      throw new BlueGreenError('step-failed', 'Wait for staging to be healthy failed on lab-staging: HTTP 503');
    }
    if (outcome === 'locked') throw new BlueGreenError('locked', 'locked by bob@ci');
    this.last = { commit, passed: outcome === 'pass' };
    return { passed: outcome === 'pass', entry: { commit, ref: commit, at: '', who: 'me', passed: outcome === 'pass' }, summary: `ran ${commit.slice(0, 1)}` };
  }
  /** Follows until `until` holds for the events so far (then aborts), or fails the test after 3 s. */
  async follow(until: (events: FollowEvent[]) => boolean, intervalMs = 5): Promise<{ failed: boolean }> {
    const deadline = setTimeout(() => this.controller.abort(), 3000);
    const outcome = await followLoop(this, {
      intervalMs,
      signal: this.controller.signal,
      onEvent: (e) => {
        this.events.push(e);
        if (until(this.events)) this.controller.abort();
      },
    });
    clearTimeout(deadline);
    assert.ok(until(this.events), `stopped before the test's condition held: ${JSON.stringify(this.kinds())}`);
    return outcome;
  }
  kinds(): string[] {
    return this.events.map((e) => ('commit' in e && e.commit ? `${e.kind} ${e.commit[0]}` : e.kind === 'skipped' ? `skipped ${e.commits.map((c) => c[0]).join('')} for ${e.newest[0]}` : e.kind));
  }
  waitForEvent(kind: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (this.kinds().includes(kind)) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
  }
}

describe('following a branch: the loop', () => {
  it('deploys the tip when staging does not run it, then waits; a quiet branch deploys nothing more', async () => {
    const s = new FakeStaging();
    await s.follow((ev) => ev.filter((e) => e.kind === 'unchanged').length >= 3);
    assert.deepEqual(s.deploys, [A]);
    assert.deepEqual(s.kinds().slice(0, 5), ['tip a', 'deploying a', 'deployed a', 'unchanged a', 'unchanged a']);
  });

  it('tips that arrive during a deploy are skipped to the newest: one deploy at a time, never the superseded one', async () => {
    const s = new FakeStaging();
    s.last = { commit: D, passed: true };
    let running = 0;
    s.duringDeploy = async (commit) => {
      running++;
      assert.equal(running, 1, 'two deploys at once');
      if (commit === A) {
        s.tip = B;
        await s.waitForEvent('tip b');
        s.tip = C;
        await s.waitForEvent('tip c');
      }
      running--;
    };
    await s.follow((ev) => ev.some((e) => e.kind === 'unchanged'));
    assert.deepEqual(s.deploys, [A, C]);
    assert.deepEqual(s.kinds(), ['tip a', 'deploying a', 'tip b', 'tip c', 'deployed a', 'skipped b for c', 'deploying c', 'deployed c', 'unchanged c']);
  });

  it('a tip that failed is not retried until the branch moves; the loop goes on', async () => {
    const s = new FakeStaging();
    s.outcomes = ['fail'];
    await s.follow((ev) => {
      if (ev.filter((e) => e.kind === 'failed-before').length === 3) s.tip = B;
      return ev.some((e) => e.kind === 'unchanged');
    });
    assert.deepEqual(s.deploys, [A, B]);
    assert.deepEqual(s.kinds(), ['tip a', 'deploying a', 'deployed a', 'failed-before a', 'failed-before a', 'failed-before a', 'tip b', 'deploying b', 'deployed b', 'unchanged b']);
  });

  it('a deploy that throws is reported with its commit and not retried; one that found staging locked is tried again', async () => {
    const thrown = new FakeStaging();
    thrown.outcomes = ['throw'];
    await thrown.follow((ev) => ev.filter((e) => e.kind === 'failed-before').length >= 2);
    assert.deepEqual(thrown.deploys, [A]);
    const error = thrown.events.find((e) => e.kind === 'error');
    assert.deepEqual(error, { kind: 'error', message: redact('Wait for staging to be healthy failed on lab-staging: HTTP 503'), commit: A });

    const locked = new FakeStaging();
    locked.outcomes = ['locked'];
    await locked.follow((ev) => ev.some((e) => e.kind === 'unchanged'));
    assert.deepEqual(locked.deploys, [A, A]);
    assert.deepEqual(locked.events.find((e) => e.kind === 'error'), { kind: 'error', message: redact('locked by bob@ci') });
  });

  it('a tip that cannot be read is reported and read again at the next interval', async () => {
    const s = new FakeStaging();
    s.tipFails = 2;
    await s.follow((ev) => ev.some((e) => e.kind === 'deployed'));
    assert.deepEqual(s.kinds().slice(0, 4), ['error', 'error', 'tip a', 'deploying a']);
    assert.deepEqual(s.deploys, [A]);
  });

  it('once: one check and its deploy, failed when the deploy failed; the tip read again is not chased', async () => {
    for (const [outcome, failed] of [['pass', false], ['fail', true], ['throw', true]] as const) {
      const s = new FakeStaging();
      s.outcomes = [outcome];
      s.duringDeploy = async () => {
        s.tip = B;
      };
      const r = await followLoop(s, { intervalMs: 5, once: true, onEvent: (e) => s.events.push(e) });
      assert.deepEqual([r.failed, s.deploys], [failed, [A]], outcome);
    }
    const quiet = new FakeStaging();
    quiet.last = { commit: A, passed: true };
    assert.deepEqual(await followLoop(quiet, { intervalMs: 5, once: true }), { failed: false });
    assert.deepEqual(quiet.deploys, []);
  });

  it('stops promptly when its signal aborts, mid-wait, and an event listener that throws stops nothing', async () => {
    const s = new FakeStaging();
    const started = Date.now();
    let events = 0;
    const outcome = await followLoop(s, {
      intervalMs: 60_000,
      signal: s.controller.signal,
      onEvent: (e) => {
        events++;
        if (e.kind === 'unchanged' || e.kind === 'deployed') setTimeout(() => s.controller.abort(), 10);
        throw new Error('the output is closed');
      },
    });
    assert.deepEqual(outcome, { failed: false });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.deepEqual([s.deploys, events], [[A], 4]);
  });
});

describe('branch-tip.sh, run in a local shell', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-tip-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
    git(dir, 'init', '-q', '--bare', 'origin.git');
    git(dir, 'init', '-q', 'work');
    const work = path.join(dir, 'work');
    writeFileSync(path.join(work, 'a'), '1');
    git(work, 'add', 'a');
    git(work, 'commit', '-qm', 'one');
    git(work, 'push', '-q', path.join(dir, 'origin.git'), 'HEAD:refs/heads/develop');
    writeFileSync(path.join(work, 'a'), '2');
    git(work, 'commit', '-qam', 'two');
    // A branch whose name ends like develop's ref: ls-remote's pattern matches it too.
    git(work, 'push', '-q', path.join(dir, 'origin.git'), 'HEAD:refs/heads/x/refs/heads/develop');
    git(dir, 'init', '-q', 'app');
    git(path.join(dir, 'app'), 'remote', 'add', 'origin', path.join(dir, 'origin.git'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the branch's exact tip on its marked line, nothing fetched; exit 3 for a branch the remote has not", async () => {
    const app = path.join(dir, 'app');
    const develop = execFileSync('git', ['rev-parse', 'refs/heads/develop'], { cwd: path.join(dir, 'origin.git'), encoding: 'utf8' }).trim();
    const r = await runLocally(remote.branchTip(app, 'origin', 'develop', `${MARK_PREFIX}tip`));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parseBranchTip(r.stdout), develop);
    assert.equal(r.stdout, `${MARK_PREFIX}tip ${develop}\n`);
    const missing = await runLocally(remote.branchTip(app, 'origin', 'main', `${MARK_PREFIX}tip`));
    assert.deepEqual([missing.code, missing.stderr.trim()], [3, 'origin has no branch main']);
    const noRemote = await runLocally(remote.branchTip(app, 'nowhere', 'develop', `${MARK_PREFIX}tip`));
    assert.equal(noRemote.code, 1);
    assert.equal(parseBranchTip(`${MARK_PREFIX}tip abc\n`), undefined);
  });
});

describe('bluegreen staging --interval', () => {
  it('takes whole seconds from 5 to 3600, 30 when not given, and says so otherwise', () => {
    assert.deepEqual([intervalSeconds(undefined), intervalSeconds('5'), intervalSeconds('3600')], [30, 5, 3600]);
    for (const bad of ['4', '3601', '1.5', '-5', 'ten', '']) assert.throws(() => intervalSeconds(bad), (e: unknown) => e instanceof BlueGreenError && e.reason === 'usage' && e.message.includes('from 5 to 3600'), bad);
  });
});

describe('the yes that starting to follow gives', () => {
  it("answers a deploy to staging's question, and no other", async () => {
    const app = { name: 'demo', staging: { servers: [{ ssh: 'stage1' }] }, deploy: { migrate: 'npx prisma migrate deploy' } } as unknown as AppConfig;
    const port = followingConfirm('develop');
    assert.deepEqual(await port.confirm(stagingConfirmation(app, A, { commit: A }, false)), { ok: true, via: 'following develop' });
    assert.deepEqual(await port.confirm({ title: 'Switch traffic to GREEN?', detail: '', action: 'Switch Traffic' }), { ok: false });
    assert.deepEqual(await port.confirm({ ...stagingConfirmation(app, A, { commit: A }, false), typeToConfirm: 'staging' }), { ok: false });
  });
});
