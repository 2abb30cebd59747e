import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { stagingConfirmation } from '../../src/core/plan/render';
import { redact } from '../../src/core/redact';
import { parseStagingRecord, renderStagingRecord, STAGING_HISTORY_KEPT, StagingEntry, stagingFiles, stagingLine, withEntry } from '../../src/core/state/stagingRecord';

const passed: StagingEntry = {
  commit: 'abc1234def5678901234567890abcdef12345678',
  version: '1.3.0',
  ref: 'develop',
  at: '2026-12-03T20:01:00.000Z',
  who: 'ana@laptop',
  passed: true,
  health: 'passed',
  smoke: [{ name: '/', ok: true, detail: 'HTTP 200 in 4 ms' }],
  durationMs: 5123,
};
const failed: StagingEntry = { ref: 'develop', at: '2026-12-03T20:05:00.000Z', who: 'bo@ci', passed: false, failedStep: 'Wait for staging to be healthy', detail: 'not healthy after 3 checks (HTTP 503)', health: 'failed' };

describe('staging record', () => {
  it('lives beside the checkout, one file per app', () => {
    assert.deepEqual(stagingFiles('/opt/app', 'demo'), { folder: '/opt/.bluegreen-staging', record: '/opt/.bluegreen-staging/demo.json', lock: '/opt/.bluegreen-staging/demo.lock' });
    assert.equal(stagingFiles('/opt/app/', 'demo').record, '/opt/.bluegreen-staging/demo.json');
  });

  it('reads back what it wrote, newest first', () => {
    const record = withEntry(withEntry(undefined, 'demo', passed), 'demo', failed);
    assert.deepEqual(parseStagingRecord(renderStagingRecord(record)), { app: 'demo', history: [failed, passed] });
  });

  it('keeps that a deploy was cancelled, and only on one that did not pass', () => {
    const cancelled: StagingEntry = { ...failed, failedStep: 'Build', detail: 'cancelled', cancelled: true };
    assert.deepEqual(parseStagingRecord(renderStagingRecord(withEntry(undefined, 'demo', cancelled)))!.history, [cancelled]);
    const claimed = parseStagingRecord(renderStagingRecord(withEntry(undefined, 'demo', { ...passed, cancelled: true })))!.history[0];
    assert.equal(claimed.cancelled, undefined);
  });

  it(`keeps the last ${STAGING_HISTORY_KEPT} deploys`, () => {
    let record = withEntry(undefined, 'demo', { ...passed, ref: 'r0' });
    for (let i = 1; i <= STAGING_HISTORY_KEPT + 4; i++) record = withEntry(record, 'demo', { ...passed, ref: `r${i}` });
    const read = parseStagingRecord(renderStagingRecord(record))!;
    assert.equal(read.history.length, STAGING_HISTORY_KEPT);
    assert.equal(read.history[0].ref, `r${STAGING_HISTORY_KEPT + 4}`);
    assert.equal(read.history.at(-1)!.ref, 'r5');
  });

  it('is not a record when it is not one, and drops entries that are not deploys', () => {
    assert.equal(parseStagingRecord('{"app":'), undefined);
    assert.equal(parseStagingRecord('[]'), undefined);
    assert.equal(parseStagingRecord('{"app":"demo"}'), undefined);
    const read = parseStagingRecord(JSON.stringify({ app: 'demo', history: [{ passed: 'yes', at: 'x', ref: 'y' }, 7, { ...passed, commit: '$(id)' }] }))!;
    assert.equal(read.history.length, 1);
    // A commit that is not one is left out, not shown.
    assert.equal(read.history[0].commit, undefined);
  });

  it("keeps a host's words to one bounded, redacted line", () => {
    const read = parseStagingRecord(JSON.stringify({ app: 'demo', history: [{ ...failed, who: 'x\u202e\nOK', detail: `postgres://u:hunter2@db/x ${'y'.repeat(1000)}`, version: 'v'.repeat(200) }] }))!;
    const [e] = read.history;
    assert.equal(e.who, 'x OK');
    assert.doesNotMatch(e.detail!, /hunter2/);
    assert.ok(e.detail!.length <= 300);
    assert.ok(e.version!.length <= 40);
  });

  it('says in one line what staging runs and how it went', () => {
    assert.equal(stagingLine(passed), 'v1.3.0 abc1234 passed 2026-12-03T20:01:00.000Z by ana@laptop');
    assert.equal(stagingLine(failed), 'develop FAILED at "Wait for staging to be healthy" 2026-12-03T20:05:00.000Z by bo@ci');
    assert.equal(stagingLine({ ...failed, failedStep: 'Build', cancelled: true }), 'develop CANCELLED at "Build" 2026-12-03T20:05:00.000Z by bo@ci');
  });
});

describe('deploy to staging: what the person is asked', () => {
  it('names the ref, version and exact commit, the staging hosts, and that production is not touched', () => {
    const text = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');
    const config = parseConfig(`${text}    staging: { ssh: stage, url: "http://10.0.0.5:3001", dir: /opt/demo, pm2: demo-staging }\n`, '/work/bluegreen.yaml').apps[0];
    const target = { commit: passed.commit!, version: redact('1.3.0'), oneLine: redact('abc1234 Add the search page (ana, 2 hours ago)') };
    const asked = stagingConfirmation(config, 'develop', target, false);
    assert.equal(asked.title, 'Deploy develop (v1.3.0, abc1234) to staging?');
    assert.equal(asked.action, 'Deploy to Staging');
    assert.equal(asked.detail, 'It lands abc1234 Add the search page (ana, 2 hours ago), version 1.3.0 in package.json.\nStaging will be rebuilt and restarted on stage; the outcome is recorded there.\nThe load balancer and both slots are not touched.');
    const migrating = parseConfig(`${text}    deploy: { migrate: npx prisma migrate deploy }\n    staging: { ssh: stage, url: "http://10.0.0.5:3001", dir: /opt/demo, pm2: demo-staging }\n`, '/work/bluegreen.yaml').apps[0];
    assert.match(stagingConfirmation(migrating, 'v2', { commit: passed.commit! }, true).detail, /^It lands abc1234\.\n[^]*\nMigrations will run on staging: npx prisma migrate deploy$/);
    assert.equal(stagingConfirmation(migrating, 'v2', { commit: passed.commit! }, true).title, 'Deploy v2 (abc1234) to staging?');
  });
});
