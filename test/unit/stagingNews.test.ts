import * as assert from 'node:assert/strict';
import { stagingNews, stagingNewsText } from '../../src/core/status/stagingNews';
import { AppSnapshot } from '../../src/core/status/snapshot';
import { StagingEntry } from '../../src/core/state/stagingRecord';

function entry(at: string, o: Partial<StagingEntry> = {}): StagingEntry {
  return { commit: 'c'.repeat(40), version: '1.3.0', ref: 'develop', at, who: 'ci@runner', passed: true, ...o };
}

function apps(last: StagingEntry | undefined, name = 'shop'): AppSnapshot[] {
  return [{ name, staging: { host: 'staging', branch: 'develop', file: '/x', reachable: true, status: last ? 'ok' : 'never-deployed', ...(last ? { last } : {}) } } as unknown as AppSnapshot];
}

describe("staging's news: a new outcome in its record is told once", () => {
  it('the first read of an app tells nothing (a window opening does not announce old outcomes)', () => {
    const first = stagingNews(new Map(), apps(entry('2026-12-04T10:00:00.000Z')));
    assert.deepEqual(first.news, []);
    assert.equal(first.seen.get('shop'), Date.parse('2026-12-04T10:00:00.000Z'));
  });

  it('a later entry is news once; the same entry read again is not', () => {
    const seen = new Map([['shop', Date.parse('2026-12-04T10:00:00.000Z')]]);
    const next = stagingNews(seen, apps(entry('2026-12-04T10:05:00.000Z')));
    assert.deepEqual(next.news.map((n) => n.entry.at), ['2026-12-04T10:05:00.000Z']);
    assert.deepEqual(stagingNews(next.seen, apps(entry('2026-12-04T10:05:00.000Z'))).news, []);
  });

  it('an older entry (a read that started before this window\'s own deploy ended) is not news', () => {
    const seen = new Map([['shop', Date.parse('2026-12-04T10:05:00.000Z')]]);
    const r = stagingNews(seen, apps(entry('2026-12-04T10:00:00.000Z')));
    assert.deepEqual(r.news, []);
    assert.equal(r.seen.get('shop'), Date.parse('2026-12-04T10:05:00.000Z'));
  });

  it('an app whose staging was never deployed tells nothing, then its first deploy is news', () => {
    const none = stagingNews(new Map(), apps(undefined));
    assert.deepEqual(none.news, []);
    // Never deployed is not "seen": the first deploy after the window opened is still its first read.
    assert.equal(none.seen.has('shop'), false);
  });

  it('a cancelled deploy is seen but not news (whoever cancelled it knows)', () => {
    const seen = new Map([['shop', Date.parse('2026-12-04T10:00:00.000Z')]]);
    const r = stagingNews(seen, apps(entry('2026-12-04T10:05:00.000Z', { passed: false, cancelled: true })));
    assert.deepEqual(r.news, []);
    assert.equal(r.seen.get('shop'), Date.parse('2026-12-04T10:05:00.000Z'));
  });

  it("a time that does not parse, or lies in the future, is no news and does not hide the real outcomes after it (the record is the staging host's word)", () => {
    const now = Date.parse('2026-12-04T12:00:00.000Z');
    let seen: Map<string, number> = new Map([['shop', Date.parse('2026-12-04T10:00:00.000Z')]]);
    for (const forged of ['9999', 'not a time', '2099-01-01T00:00:00.000Z']) {
      const r = stagingNews(seen, apps(entry(forged, { passed: false })), now);
      assert.deepEqual(r.news, [], forged);
      seen = r.seen;
    }
    const real = stagingNews(seen, apps(entry('2026-12-04T11:00:00.000Z')), now);
    assert.deepEqual(real.news.map((n) => n.entry.at), ['2026-12-04T11:00:00.000Z']);
  });

  it('says passed as "ready for production" and a failure with its step and why', () => {
    assert.equal(stagingNewsText({ app: 'shop', entry: entry('t') }), 'shop: v1.3.0 (ccccccc) passed staging — ready for production');
    assert.equal(stagingNewsText({ app: 'shop', entry: entry('t', { passed: false, failedStep: 'Health check on staging', detail: '/health answered 500' }) }), 'shop: v1.3.0 (ccccccc) FAILED on staging at "Health check on staging": /health answered 500');
  });
});
