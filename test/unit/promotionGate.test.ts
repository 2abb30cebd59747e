import * as assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/load';
import { AppConfig } from '../../src/core/config/types';
import { overridden, preflight, refusalOf } from '../../src/core/plan/preflight';
import { Intent, StagingEvidence } from '../../src/core/plan/types';
import { stagingOutcome } from '../../src/core/plan/stagingVerdict';
import { canaryConfirmation } from '../../src/core/plan/render';
import { redact } from '../../src/core/redact';
import { StagingEntry } from '../../src/core/state/stagingRecord';
import { stateWithStagingSkipped } from '../../src/core/state/stateFile';
import { isSwitch } from '../../src/core/state/historyKinds';
import { AppSnapshot, SlotSnapshot } from '../../src/core/status/snapshot';
import { entriesFor } from '../../src/core/workflows/parts/stagingEvidence';

const config = (required?: boolean): AppConfig =>
  parseConfig(
    `version: 1
apps:
  - name: demo
    loadBalancer: { ssh: haproxy, config: /etc/haproxy/haproxy.cfg, frontend: web, reload: systemctl reload haproxy, stateFile: /var/lib/haproxy/demo.json }
    slots:
      blue:  { ssh: jwa, backend: demo_blue,  url: "http://10.0.0.1:3001", dir: /opt/demo, pm2: demo-blue }
      green: { ssh: jwg, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }
    staging: { ssh: stage, url: "http://10.0.0.9:3001", dir: /opt/demo, pm2: demo-staging${required === undefined ? '' : `, required: ${required}`} }
`,
    '/work/bluegreen.yaml',
  ).apps[0];

const C = 'c'.repeat(40);
const D = 'd'.repeat(40);
function slot(name: 'blue' | 'green'): SlotSnapshot {
  const base = { host: name, url: `http://${name}:3001`, reachable: true, health: 'up' as const, version: name === 'blue' ? '1.1.0' : '1.2.0', commit: (name === 'blue' ? 'a' : 'b').repeat(40) };
  return { ...base, name, role: name === 'blue' ? 'LIVE' : 'STANDBY', servers: [{ ...base, server: name }] };
}
const snap: AppSnapshot = {
  name: 'demo',
  live: 'blue',
  standby: 'green',
  lb: { host: 'haproxy', reachable: true, frontend: 'web', backend: 'demo_blue', routesTo: 'blue', state: { file: '/s', status: 'ok', live: 'blue', standby: 'green', history: [] } },
  lbs: [],
  slots: { blue: slot('blue'), green: slot('green') },
  drift: [],
};
snap.lbs = [snap.lb];

const entry = (o: Partial<StagingEntry>): StagingEntry => ({ commit: C, version: '1.3.0', ref: 'develop', at: '2026-12-04T10:02:33.000Z', who: redact('ana@laptop'), passed: true, ...o });
const evidence = (o: Partial<StagingEvidence> = {}): StagingEvidence => ({ commit: C, host: 'stage', ...o });
const judge = (intent: Intent, staging: StagingEvidence | undefined, required = true) => preflight(snap, config(required), intent, staging && { staging }).findings.filter((f) => f.gate === 'staging-passed');

describe('the promotion gate (staging.required)', () => {
  it('config: required defaults to false; true is read', () => {
    assert.equal(config().staging!.required, false);
    assert.equal(config(true).staging!.required, true);
  });

  it('a commit staging passed: a note saying when and by whom, never a refusal', () => {
    const [f] = judge({ kind: 'deploy' }, evidence({ entry: entry({}) }));
    assert.deepEqual([f.severity, f.sentence], ['note', 'Staging passed ccccccc (v1.3.0) on 2026-12-04 10:02 UTC, deployed there by ana@laptop.']);
  });

  it('a commit never deployed to staging is refused, naming it, staging\'s last deploy and the three ways on', () => {
    const plan = preflight(snap, config(true), { kind: 'deploy' }, { staging: evidence({ last: entry({ commit: D, version: '1.2.9' }) }) });
    const r = refusalOf(plan)!;
    assert.equal(r.gate, 'staging-passed');
    assert.equal(r.host, 'stage');
    assert.equal(
      r.sentence,
      "ccccccc was never deployed to staging (staging's last deploy: v1.2.9 ddddddd, passed on 2026-12-04 10:02 UTC). staging.required is set, so only a commit that passed staging goes to STANDBY: deploy it to staging first (bluegreen deploy --to staging --ref ccccccc), promote what staging passed (bluegreen promote), or skip staging with a reason (bluegreen deploy --skip-staging --reason TEXT)",
    );
    assert.match(refusalOf(preflight(snap, config(true), { kind: 'deploy' }, { staging: evidence() }))!.sentence, /^ccccccc was never deployed to staging \(staging has no deploy recorded\)/);
  });

  it('a commit that failed on staging is refused with its step and detail, even when an older deploy of it passed', () => {
    const record = { app: 'demo', history: [entry({ passed: false, failedStep: 'Health check on staging', detail: 'HTTP 500' }), entry({})] };
    const r = refusalOf(preflight(snap, config(true), { kind: 'deploy' }, { staging: evidence(entriesFor(record, C)) }))!;
    assert.match(r.sentence, /^ccccccc FAILED on staging at "Health check on staging" on 2026-12-04 10:02 UTC \(deployed there by ana@laptop\): HTTP 500\. staging\.required is set/);
  });

  it('a record that cannot be read is not a pass: refused, saying why', () => {
    const r = refusalOf(preflight(snap, config(true), { kind: 'deploy' }, { staging: evidence({ unread: 'ssh: connect timed out' }) }))!;
    assert.match(r.sentence, /^cannot read staging's record on stage \(ssh: connect timed out\), so whether ccccccc passed staging is not known\. staging\.required is set/);
  });

  it('skipStaging turns the refusal into a warning whose override the history records', () => {
    const plan = preflight(snap, config(true), { kind: 'deploy', skipStaging: true }, { staging: evidence() });
    assert.equal(refusalOf(plan), undefined);
    const [f] = plan.findings.filter((x) => x.gate === 'staging-passed');
    assert.equal(f.severity, 'warn');
    assert.equal(overridden(plan), 'staging skipped: ccccccc was never deployed to staging (staging has no deploy recorded)');
  });

  it("names staging's last deploy by version and commit, by commit alone, or by the ref when it recorded no commit", () => {
    const never = (last: StagingEntry) => stagingOutcome(evidence({ last }), '').sentence;
    assert.equal(never(entry({ commit: D })), `ccccccc was never deployed to staging (staging's last deploy: v1.3.0 ddddddd, passed on 2026-12-04 10:02 UTC)`);
    assert.equal(never(entry({ commit: D, version: undefined, passed: false })), `ccccccc was never deployed to staging (staging's last deploy: ddddddd, failed on 2026-12-04 10:02 UTC)`);
    assert.equal(never(entry({ commit: undefined, version: undefined, passed: false })), `ccccccc was never deployed to staging (staging's last deploy: develop, failed on 2026-12-04 10:02 UTC)`);
  });

  it('says no more than the entry holds: a pass without a version, a failure without a step or detail', () => {
    assert.equal(stagingOutcome(evidence({ entry: entry({ version: undefined }) }), '').sentence, 'Staging passed ccccccc on 2026-12-04 10:02 UTC, deployed there by ana@laptop');
    assert.equal(stagingOutcome(evidence({ entry: entry({ passed: false }) }), '').sentence, 'ccccccc FAILED on staging on 2026-12-04 10:02 UTC (deployed there by ana@laptop)');
  });

  it('the warning a skipped gate shows says the reason goes to the history', () => {
    const [f] = judge({ kind: 'deploy', skipStaging: true }, evidence());
    assert.equal(f.sentence, '⚠ ccccccc was never deployed to staging (staging has no deploy recorded). staging.required is set: this deploy skips staging, and the reason is recorded in the history.');
  });

  it('skipStaging on a commit that passed overrides nothing', () => {
    const plan = preflight(snap, config(true), { kind: 'deploy', skipStaging: true }, { staging: evidence({ entry: entry({}) }) });
    assert.equal(overridden(plan), undefined);
  });

  it('without required, an untested commit is a warning on a deploy; a switch only ever warns or notes', () => {
    assert.deepEqual(judge({ kind: 'deploy' }, evidence(), false).map((f) => f.severity), ['warn']);
    assert.deepEqual(judge({ kind: 'release' }, evidence(), true).map((f) => [f.severity, f.sentence]), [['warn', "⚠ GREEN's commit ccccccc was never deployed to staging (staging has no deploy recorded)."]]);
    assert.deepEqual(judge({ kind: 'release' }, evidence({ entry: entry({}) })).map((f) => f.sentence), ["Staging passed GREEN's commit ccccccc (v1.3.0) on 2026-12-04 10:02 UTC, deployed there by ana@laptop."]);
  });

  it("a canary's dialog says what staging holds of the commit its share goes to, as a release's does", () => {
    const canary = (staging: StagingEvidence) => canaryConfirmation(preflight(snap, config(true), { kind: 'canary', percent: 10 }, { staging }), config(true)).detail;
    assert.match(canary(evidence({ entry: entry({}) })), /Staging passed GREEN's commit ccccccc \(v1\.3\.0\) on 2026-12-04 10:02 UTC/);
    assert.match(canary(evidence()), /⚠ GREEN's commit ccccccc was never deployed to staging/);
  });

  it('no evidence (not read, or no staging:) says nothing', () => {
    assert.deepEqual(judge({ kind: 'deploy' }, undefined), []);
  });

  it('only the full commit id counts in the record: an abbreviated entry written by hand matches nothing', () => {
    const record = { app: 'demo', history: [entry({ commit: 'ccccccc' }), entry({ commit: D })] };
    assert.deepEqual(entriesFor(record, C), { last: record.history[0] });
    assert.deepEqual(entriesFor({ app: 'demo', history: [entry({ commit: D }), entry({ commit: C.toUpperCase() })] }, C).entry?.commit, C.toUpperCase());
  });

  it('stagingOutcome: the time is UTC to the minute; an unparsable time is shown as written', () => {
    assert.match(stagingOutcome(evidence({ entry: entry({ at: 'yesterday' }) }), '').sentence, / on yesterday, /);
  });
});

describe('the skipped staging in the state file', () => {
  const raw = { live: 'blue', standby: 'green', prod: 'blue', switchCount: 4, lastSwitch: 'T0', watch: { slot: 'blue' }, canary: { slot: 'green' }, history: [{ kind: 'release', from: 'green', to: 'blue' }] };
  const rec = { slot: 'green' as const, commit: C, version: '1.3.0', reason: redact('hotfix for the outage'), overrode: redact('staging skipped: …'), approvedVia: 'terminal', who: redact('ana@laptop'), at: 'T1' };

  it('appends the entry; roles, counters, the watch and the canary stay as they were', () => {
    const { state, moved } = stateWithStagingSkipped(raw, rec);
    assert.deepEqual(moved, []);
    assert.deepEqual({ ...state, history: undefined }, { ...raw, history: undefined });
    assert.deepEqual((state.history as unknown[]).at(-1), { timestamp: 'T1', kind: 'staging-skipped', to: 'green', toCommit: C, toVersion: '1.3.0', reason: 'hotfix for the outage', overrode: 'staging skipped: …', approvedVia: 'terminal', by: 'ana@laptop' });
    assert.equal(isSwitch((state.history as Record<string, unknown>[]).at(-1)!), false);
  });

  it('past historyKept the oldest entries move out, none lost', () => {
    const { state, moved } = stateWithStagingSkipped(raw, { ...rec, version: undefined, approvedVia: undefined }, 1);
    assert.deepEqual(moved, raw.history);
    assert.equal((state.history as unknown[]).length, 1);
    assert.equal('toVersion' in (state.history as Record<string, unknown>[])[0], false);
    assert.equal('approvedVia' in (state.history as Record<string, unknown>[])[0], false);
  });
});
