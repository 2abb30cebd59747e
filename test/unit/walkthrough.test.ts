import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HistoryEntry } from '../../src/core/state/stateFile';
import { firstReleaseProgress } from '../../src/core/status/firstRelease';
import { AppSnapshot } from '../../src/core/status/snapshot';

interface Step {
  id: string;
  completionEvents: string[];
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { walkthroughs: { id: string; steps: Step[] }[] } };
const steps = pkg.contributes.walkthroughs.find((w) => w.id === 'firstRelease')!.steps;
const READY = 'bluegreen.walkthroughReady';

function app(o: { history?: HistoryEntry[]; switchCount?: number; commits?: [string | undefined, string | undefined] }): AppSnapshot {
  const [blue, green] = o.commits ?? ['aaa1111', 'aaa1111'];
  return {
    name: 'demo',
    lb: { state: { file: '/s', status: 'ok', history: o.history ?? [], switchCount: o.switchCount } },
    slots: { blue: { name: 'blue', commit: blue }, green: { name: 'green', commit: green } },
  } as unknown as AppSnapshot;
}

const release: HistoryEntry = { timestamp: 't', from: 'blue', to: 'green', kind: 'release' };

describe("the walkthrough's steps", () => {
  it('tick from state, never from a command having run (it may have failed)', () => {
    for (const step of steps) {
      assert.ok(step.completionEvents.length, `${step.id} has no completion event`);
      for (const event of step.completionEvents) assert.match(event, /^(onContext|onView):/, `${step.id} completes on ${event}`);
    }
  });

  it("wait for bluegreen.walkthroughReady in every context expression (one already true when VS Code registers the walkthrough never ticks)", () => {
    for (const step of steps) for (const event of step.completionEvents.filter((e) => e.startsWith('onContext:'))) assert.ok(event.split(' && ').includes(READY), `${step.id}: ${event}`);
  });

  it('staging, deploy, release and sync tick on the keys the status sets', () => {
    const keys = Object.keys(firstReleaseProgress([], false));
    assert.deepEqual(keys, ['stagingPassed', 'deployDone', 'releaseDone', 'syncDone']);
    const byStep = Object.fromEntries(steps.map((s) => [s.id, s.completionEvents]));
    assert.deepEqual([byStep.staging, byStep.deploy, byStep.release, byStep.sync], keys.map((k) => [`onContext:bluegreen.${k} && ${READY}`]));
    assert.deepEqual(byStep.createConfig, [`onContext:bluegreen.hasConfig && ${READY}`]);
  });
});

describe('firstReleaseProgress', () => {
  it('nothing is done on slots that were never switched, even on the same commit', () => {
    assert.deepEqual(firstReleaseProgress([app({})], false), { stagingPassed: false, deployDone: false, releaseDone: false, syncDone: false });
    assert.deepEqual(firstReleaseProgress([], false), { stagingPassed: false, deployDone: false, releaseDone: false, syncDone: false });
  });

  it('a deploy in this window is a deploy done, and only that', () => {
    assert.deepEqual(firstReleaseProgress([app({})], true), { stagingPassed: false, deployDone: true, releaseDone: false, syncDone: false });
  });

  it('a switch in the history is a release done (and the deploy before it); sync waits for both slots on one commit', () => {
    assert.deepEqual(firstReleaseProgress([app({ history: [release], commits: ['aaa1111', 'bbb2222'] })], false), { stagingPassed: false, deployDone: true, releaseDone: true, syncDone: false });
    assert.deepEqual(firstReleaseProgress([app({ history: [release] })], false), { stagingPassed: false, deployDone: true, releaseDone: true, syncDone: true });
    assert.equal(firstReleaseProgress([app({ history: [release], commits: [undefined, undefined] })], false).syncDone, false, 'unknown commits are not the same commit');
  });

  it('counts the switches older tools recorded (no kind, or only a switch count), and not canaries or reconciles', () => {
    assert.equal(firstReleaseProgress([app({ history: [{ timestamp: 't', from: 'green', to: 'blue' }] })], false).releaseDone, true);
    assert.equal(firstReleaseProgress([app({ switchCount: 3 })], false).releaseDone, true);
    const notSwitches: HistoryEntry[] = [
      { timestamp: 't', kind: 'canary', from: 'blue', to: 'green', percent: 10 },
      { timestamp: 't', kind: 'canary-end', from: 'green', to: 'blue' },
      { timestamp: 't', kind: 'reconcile', live: 'blue', recorded: 'green' },
    ];
    assert.deepEqual(firstReleaseProgress([app({ history: notSwitches, switchCount: 0 })], false), { stagingPassed: false, deployDone: false, releaseDone: false, syncDone: false });
  });

  it('staging ticks when an app\'s staging passed its last deploy, not when it failed or was never deployed; its step shows only with a staging', () => {
    const withStaging = (last?: { passed: boolean }) => ({ ...app({}), staging: { host: 's', branch: 'develop', file: '/x', reachable: true, status: last ? 'ok' : 'never-deployed', ...(last ? { last } : {}) } }) as unknown as AppSnapshot;
    assert.equal(firstReleaseProgress([withStaging({ passed: true })], false).stagingPassed, true);
    assert.equal(firstReleaseProgress([withStaging({ passed: false })], false).stagingPassed, false);
    assert.equal(firstReleaseProgress([withStaging(), app({})], false).stagingPassed, false);
    assert.equal((steps.find((s) => s.id === 'staging') as { when?: string }).when, 'bluegreen.hasStaging');
  });

  it('with several apps, one that released is enough', () => {
    assert.equal(firstReleaseProgress([app({}), app({ history: [release] })], false).releaseDone, true);
  });
});
