import * as assert from 'node:assert/strict';
import { pipelineOf, stagingVerdictOf } from '../../src/core/status/pipeline';
import { AppSnapshot, StagingSnapshot } from '../../src/core/status/snapshot';
import { StagingEntry } from '../../src/core/state/stagingRecord';

const STAGED = 'c'.repeat(40);
const OLD = 'a'.repeat(40);

function entry(o: Partial<StagingEntry> = {}): StagingEntry {
  return { commit: STAGED, version: '1.3.0', ref: 'develop', at: '2026-12-04T10:00:00.000Z', who: 'alice@laptop', passed: true, ...o };
}

function app(staging: Partial<StagingSnapshot> | undefined, standbyCommit = OLD): AppSnapshot {
  const slot = (name: 'blue' | 'green', commit: string, version: string) => ({ name, commit, version, health: 'up' });
  return {
    name: 'shop',
    live: 'blue',
    standby: 'green',
    slots: { blue: slot('blue', OLD, '1.2.0'), green: slot('green', standbyCommit, standbyCommit === STAGED ? '1.3.0' : '1.2.0') },
    ...(staging ? { staging: { host: 'staging', branch: 'develop', file: '/x', reachable: true, status: 'ok', ...staging } } : {}),
  } as unknown as AppSnapshot;
}

describe('the pipeline row: staging → STANDBY → LIVE', () => {
  it('is there only for an app with a staging', () => {
    assert.equal(pipelineOf(app(undefined)), undefined);
  });

  it("says staging's version and verdict, then STANDBY's and LIVE's, and whom this window follows", () => {
    const p = pipelineOf(app({ last: entry() }))!;
    assert.equal(p.verdict, 'passed');
    assert.deepEqual([p.title, p.detail], ['Staging v1.3.0', 'passed · to promote']);
    assert.equal(p.summary, 'v1.3.0 passed → STANDBY v1.2.0 → LIVE v1.2.0');
    assert.deepEqual(p.stages.map((s) => [s.title, s.detail]), [
      ['Staging v1.3.0', 'passed · ccccccc'],
      ['STANDBY v1.2.0', 'another commit'],
      ['LIVE v1.2.0', 'another commit'],
    ]);
    const following = pipelineOf(app({ last: entry() }), 'develop')!;
    assert.equal(following.detail, 'passed · following');
    assert.match(following.summary, / · following develop$/);
    assert.deepEqual(following.stages.at(-1), { stage: 'following', title: 'Following develop', detail: 'deploys its new tips here' });
  });

  it("marks the slot that runs staging's commit, and a failed staging in capitals", () => {
    const promoted = pipelineOf(app({ last: entry() }, STAGED))!;
    assert.deepEqual([promoted.stages[1].detail, promoted.stages[1].slot, promoted.stages[1].commit], ["staging's commit", 'green', STAGED]);
    assert.equal(promoted.detail, 'passed · on STANDBY');
    const failed = pipelineOf(app({ last: entry({ passed: false, failedStep: 'Smoke tests on staging' }) }))!;
    assert.equal(failed.verdict, 'failed');
    assert.match(failed.summary, /^v1\.3\.0 FAILED → STANDBY/);
    assert.equal(failed.detail, 'FAILED');
    assert.equal(pipelineOf(app({ last: entry({ passed: false, cancelled: true }) }))!.detail, 'cancelled');
  });

  it('tells a staging never deployed, one whose record cannot be read, and one that cannot be reached apart', () => {
    assert.equal(stagingVerdictOf(app({ status: 'never-deployed' })), 'never');
    assert.match(pipelineOf(app({ status: 'never-deployed' }))!.summary, /^never deployed → /);
    assert.deepEqual([pipelineOf(app({ status: 'never-deployed' }))!.title, pipelineOf(app({ status: 'never-deployed' }))!.detail], ['Staging', 'never deployed']);
    assert.equal(stagingVerdictOf(app({ status: 'unreadable', error: 'bad json' })), 'unknown');
    assert.match(pipelineOf(app({ status: 'unreadable' }))!.summary, /^record unreadable → /);
    assert.match(pipelineOf(app({ status: 'unknown', reachable: false }))!.summary, /^unreachable → /);
  });

  it('names a version-less deploy by its commit', () => {
    assert.equal(pipelineOf(app({ last: entry({ version: undefined }) }))!.stages[0].title, 'Staging ccccccc');
  });
});
