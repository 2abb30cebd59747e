// The promotion gate on the lab: with staging.required, only a commit staging passed reaches
// STANDBY; skipping it takes a reason that lands in the history; promote deploys staging's commit.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getJson, readState } from './helpers';
import { lab } from './setup';
import { originTip, production, readRecord, stagingWorkspace, whileStagingUnhealthy } from './stagingLab';

interface HistoryEntry {
  kind: string;
  to?: string;
  toCommit?: string;
  reason?: string;
  overrode?: string;
  by?: string;
}

async function standbyRuns(): Promise<{ slot: string; commit: unknown; version: unknown }> {
  const { live } = readState() as { live: string };
  const slot = live === 'blue' ? 'green' : 'blue';
  const r = await getJson(`http://${lab().hosts[slot].address}:${lab().appPort}/api/health`);
  assert.equal(r.status, 200);
  return { slot, commit: r.body.commit, version: r.body.version };
}

describe('the promotion gate against the lab (staging.required)', function () {
  this.timeout(300_000);
  const { cli, configWith } = stagingWorkspace('bg-promotion-', true);
  let required = '';
  before(() => {
    // Fast health checks, so the failing staging deploy below fails in a second.
    required = configWith('required.yaml', (y) => y.replace('      branch: develop\n', '      branch: develop\n      required: true\n      health: { attempts: 3, intervalMs: 200 }\n'));
  });

  it('refuses a deploy to STANDBY of a commit staging never ran, naming it and the ways on (exit 3); nothing changes', async () => {
    const before = production();
    const standby = await standbyRuns();
    const main = originTip('main');
    const r = cli('--config', required, 'deploy', '--ref', 'main', '--yes');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${main.slice(0, 7)} was never deployed to staging`));
    assert.match(r.stderr, new RegExp(`bluegreen deploy --to staging --ref ${main.slice(0, 7)}`));
    assert.match(r.stderr, /bluegreen promote/);
    assert.match(r.stderr, /--skip-staging --reason/);
    assert.deepEqual(production(), before, 'a refused deploy changed HAProxy, the state file or a slot');
    assert.deepEqual(await standbyRuns(), standby);
  });

  it('--skip-staging needs a reason (exit 2); with one it deploys and the history says who skipped staging, why, and what staging said', async () => {
    const main = originTip('main');
    const before = production();
    const bare = cli('--config', required, 'deploy', '--ref', 'main', '--skip-staging', '--yes');
    assert.equal(bare.code, 2, bare.stderr);
    assert.match(bare.stderr, /needs --reason/);
    assert.deepEqual(production(), before);

    const r = cli('--config', required, 'deploy', '--ref', 'main', '--skip-staging', '--reason', 'hotfix for the login page', '--yes');
    assert.equal(r.code, 0, r.stderr);
    const standby = await standbyRuns();
    assert.equal(standby.commit, main);
    const history = (readState() as { history: HistoryEntry[] }).history;
    const skipped = history.filter((h) => h.kind === 'staging-skipped').at(-1);
    assert.ok(skipped, `no staging-skipped entry in ${JSON.stringify(history.slice(-3))}`);
    assert.deepEqual([skipped.to, skipped.toCommit, skipped.reason], [standby.slot, main, 'hotfix for the login page']);
    assert.match(skipped.overrode ?? '', new RegExp(`staging skipped: ${main.slice(0, 7)} was never deployed to staging`));
    assert.match(skipped.by ?? '', /^\S+@\S+$/);
    // The LB's routing is the one thing a deploy to STANDBY never touches.
    assert.equal(readFileSync(lab().haproxyConfig, 'latin1'), before.haproxy);
  });

  it("promote deploys to STANDBY exactly the commit staging passed, and says so", async () => {
    const tip = originTip('develop');
    const staged = cli('--config', required, 'deploy', '--to', 'staging', '--yes');
    assert.equal(staged.code, 0, staged.stderr);
    assert.deepEqual([readRecord().history[0].commit, readRecord().history[0].passed], [tip, true]);

    const r = cli('--config', required, 'promote', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Staging passed ${tip.slice(0, 7)} \\(v1\\.3\\.0\\)`));
    const standby = await standbyRuns();
    assert.deepEqual([standby.commit, standby.version], [tip, '1.3.0']);
  });

  it('a commit that failed staging is refused by promote and by the gate, with what staging recorded; nothing changes', async () => {
    const tip = originTip('develop');
    const failed = whileStagingUnhealthy(() => cli('--config', required, 'deploy', '--to', 'staging', '--yes'));
    assert.equal(failed.code, 1, failed.stderr);
    const before = production();
    const standby = await standbyRuns();

    const promoted = cli('--config', required, 'promote', '--yes');
    assert.equal(promoted.code, 3, promoted.stderr);
    assert.match(promoted.stderr, /staging's last deploy did not pass: .*FAILED at "Wait for staging to be healthy"/);
    assert.match(promoted.stderr, new RegExp(`the last commit that passed is ${tip.slice(0, 7)}`));

    const gated = cli('--config', required, 'deploy', '--ref', 'develop', '--yes');
    assert.equal(gated.code, 3, gated.stderr);
    assert.match(gated.stderr, new RegExp(`${tip.slice(0, 7)} FAILED on staging at "Wait for staging to be healthy"`));
    assert.deepEqual(production(), before, 'a refused promote or deploy changed HAProxy, the state file or a slot');
    assert.deepEqual(await standbyRuns(), standby);
  });
});
