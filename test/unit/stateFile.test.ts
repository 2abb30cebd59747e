import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lockFileOf, parseState, rawFields, rotatedHistoryText, STATE_STATUS_LIMIT, stateAfterSwitch, stateFromRead, stateReadScript, stateReconciled, stateText, stateWithCanary, stateWithoutWatch, stateWithRestart, watchInterrupted, watchStopFileOf } from '../../src/core/state/stateFile';
import { isSwitch } from '../../src/core/state/historyKinds';
import { watchText } from '../../src/core/status/routed';
import { AppSnapshot } from '../../src/core/status/snapshot';
import { redact } from '../../src/core/redact';

const record = { from: 'blue' as const, to: 'green' as const, kind: 'release' as const, who: redact('ann@ops'), at: '2026-11-30T12:00:00Z', fromVersion: '1.1.0', toVersion: '1.2.0' };

describe('the state file', () => {
  it('after a switch: every unknown field kept, roles and counters updated, history appended', () => {
    const { state, moved } = stateAfterSwitch({ prod: 'blue', standby: 'green', switchCount: 5, owner: 'ops', history: [{ n: 1 }] }, record);
    assert.deepEqual(moved, []);
    assert.deepEqual([state.prod, state.live, state.standby, state.switchCount, state.owner, state.lastSwitch], ['green', 'green', 'blue', 6, 'ops', record.at]);
    assert.deepEqual((state.history as Record<string, unknown>[]).map((h) => h.n ?? h.kind), [1, 'release']);
  });

  it('hardening: keeps the last historyKept entries and moves the older ones out, oldest first, never dropping one (RELIABILITY row 31)', () => {
    const history = Array.from({ length: 5 }, (_, i) => ({ n: i + 1 }));
    const { state, moved } = stateAfterSwitch({ prod: 'blue', history }, record, 3);
    assert.deepEqual(moved, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual((state.history as Record<string, unknown>[]).map((h) => h.n ?? h.kind), [4, 5, 'release']);
    assert.equal(rotatedHistoryText(moved), '{"n":1}\n{"n":2}\n{"n":3}\n');
    assert.equal(parseState(JSON.stringify(state)).kind, 'ok');
  });

  it('reconciled: roles fixed to what HAProxy routes, the correction in the history', () => {
    const next = stateReconciled({ prod: 'green', live: 'green', standby: 'blue', history: [] }, 'blue', 'green', redact('ann@ops'), record.at);
    assert.deepEqual([next.prod, next.live, next.standby], ['blue', 'blue', 'green']);
    assert.deepEqual(next.history, [{ timestamp: record.at, kind: 'reconcile', live: 'blue', recorded: 'green', by: 'ann@ops' }]);
  });

  it('a watch is recorded with the switch that starts it, ended by the next switch or when it ends, and read back', () => {
    const watch = { slot: 'green' as const, until: '2026-11-30T12:30:00.000Z', since: record.at, by: redact('ann@ops') };
    const { state } = stateAfterSwitch({ prod: 'blue', owner: 'ops' }, record, Infinity, watch);
    assert.deepEqual(state.watch, watch);
    const read = parseState(JSON.stringify(state));
    assert.ok(read.kind === 'ok');
    assert.deepEqual(read.state.watch, watch);
    assert.equal(stateAfterSwitch(state, { ...record, from: 'green', to: 'blue', kind: 'auto-rollback' }).state.watch, undefined);
    assert.deepEqual(stateWithoutWatch(state), Object.fromEntries(Object.entries(state).filter(([k]) => k !== 'watch')));
    const read2 = parseState(JSON.stringify({ prod: 'blue', watch: { slot: 'purple', until: 'soon' } }));
    assert.ok(read2.kind === 'ok' && read2.state.watch === undefined, 'a malformed watch is ignored, not trusted');
  });

  it('a forced release keeps its audit trail: emergency, reason, how it was approved and the gate it went past are in its history entry', () => {
    const forced = { ...record, emergency: true, reason: redact('hotfix for the outage'), approvedVia: 'terminal prompt', overrode: redact('1 of 2 smoke tests failed: home (HTTP 503, expected 200)'), fromCommit: 'a1', toCommit: 'b2' };
    const { state } = stateAfterSwitch({ prod: 'blue' }, forced);
    assert.deepEqual(state.history, [
      { timestamp: record.at, from: 'blue', to: 'green', fromVersion: '1.1.0', toVersion: '1.2.0', fromCommit: 'a1', toCommit: 'b2', by: 'ann@ops', kind: 'release', emergency: true, reason: 'hotfix for the outage', approvedVia: 'terminal prompt', overrode: '1 of 2 smoke tests failed: home (HTTP 503, expected 200)' },
    ]);
    // An ordinary release records none of them.
    const plain = (stateAfterSwitch({ prod: 'blue' }, record).state.history as Record<string, unknown>[])[0];
    assert.deepEqual(['emergency', 'reason', 'approvedVia', 'overrode'].filter((k) => k in plain), []);
  });

  it("a switch back to the state file's LIVE says so in its history entry", () => {
    const back = (stateAfterSwitch({ prod: 'green' }, { ...record, routedBack: true }).state.history as Record<string, unknown>[])[0];
    assert.equal(back.routedBack, true);
    assert.equal('routedBack' in (stateAfterSwitch({ prod: 'blue' }, record).state.history as Record<string, unknown>[])[0], false);
  });

  it('a switch counts from 1 when the file has no count, and drops a canary (promoted or abandoned)', () => {
    const canary = { slot: 'green', percent: 10, key: 'source', since: record.at, by: 'ann@ops' };
    const { state, moved } = stateAfterSwitch({ prod: 'blue', switchCount: 'many', canary }, record);
    assert.equal(state.switchCount, 1);
    assert.equal('canary' in state, false);
    assert.deepEqual(moved, []);
    assert.deepEqual(stateAfterSwitch({ prod: 'blue', history: [{ n: 1 }] }, record, 2).moved, []);
  });

  it('a state file that is not a JSON object, or names no LIVE slot, is corrupt: null, an array, a number, bad JSON', () => {
    for (const text of ['null', '[]', '3', '"blue"', 'true']) assert.deepEqual(parseState(text), { kind: 'corrupt', error: 'not a JSON object' }, text);
    const bad = parseState('{"prod": ');
    assert.ok(bad.kind === 'corrupt' && bad.error.startsWith('not JSON: '), JSON.stringify(bad));
    assert.deepEqual(parseState('{"prod": "purple"}'), { kind: 'corrupt', error: 'names no LIVE slot ("live" or "prod" must be "blue" or "green")' });
    assert.deepEqual(parseState('{"live": 1}'), { kind: 'corrupt', error: 'names no LIVE slot ("live" or "prod" must be "blue" or "green")' });
  });

  it('reads both shapes: "live" before "prod", in any case, STANDBY the other slot unless named; unknown fields kept', () => {
    const read = parseState(JSON.stringify({ live: 'GREEN', prod: 'blue', lastSwitch: 'then', switchCount: 4, owner: 'ops', history: [{ from: 'blue', to: 'green' }, null, [1], 'x'] }));
    assert.ok(read.kind === 'ok');
    assert.deepEqual([read.state.live, read.state.standby, read.state.lastSwitch, read.state.switchCount, read.state.raw.owner], ['green', 'blue', 'then', 4, 'ops']);
    assert.deepEqual(read.state.history, [{ from: 'blue', to: 'green' }], 'entries that are not objects are left out');
    const old = parseState(JSON.stringify({ prod: 'blue', standby: 'blue', lastSwitch: 3, switchCount: '4', history: 'none' }));
    assert.ok(old.kind === 'ok');
    assert.deepEqual([old.state.live, old.state.standby, old.state.lastSwitch, old.state.switchCount, old.state.history], ['blue', 'blue', undefined, undefined, []]);
    const missing = parseState(JSON.stringify({ prod: 'green' }));
    assert.ok(missing.kind === 'ok' && missing.state.standby === 'blue');
  });

  it("a history entry's texts, written by anyone who can write the file, are read as bounded single lines", () => {
    const read = parseState(JSON.stringify({ prod: 'blue', history: [{ reason: `line one\nline two ${'x'.repeat(5000)}`, n: 2 }] }));
    assert.ok(read.kind === 'ok');
    const reason = read.state.history[0].reason as string;
    assert.ok(!reason.includes('\n') && reason.length < 5000, reason.slice(0, 80));
    assert.equal(read.state.history[0].n, 2);
  });

  it('a state file too large to read in a refresh reads as too large (its size), not as corrupt; a missing one as missing', () => {
    assert.deepEqual(stateFromRead(46, '5242880\n'), { kind: 'too-large', bytes: 5242880 });
    assert.deepEqual(stateFromRead(44, ''), { kind: 'missing' });
    assert.deepEqual(stateFromRead(1, ' cat: state.json: Permission denied \n'), { kind: 'corrupt', error: 'cat: state.json: Permission denied' });
    assert.deepEqual(stateFromRead(2, '  '), { kind: 'corrupt', error: 'exit code 2' });
    assert.equal(stateFromRead(0, '{"prod":"blue"}').kind, 'ok');
    assert.deepEqual(rawFields(stateFromRead(0, '{"prod":"blue","owner":"ops"}')), { prod: 'blue', owner: 'ops' });
    assert.deepEqual(rawFields(stateFromRead(44, '')), {});
    assert.equal(STATE_STATUS_LIMIT, 4 * 1024 * 1024);
  });

  it('the read script sends the file, or its exit code says missing or too large, run for real', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-state-'));
    try {
      const file = path.join(dir, "it's state.json");
      const run = (script: string) => {
        const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
        return stateFromRead(r.status, r.stdout + r.stderr);
      };
      assert.deepEqual(run(stateReadScript(file)), { kind: 'missing' });
      writeFileSync(file, '{"prod":"green"}');
      assert.equal(run(stateReadScript(file)).kind, 'ok');
      assert.equal(run(stateReadScript(file, 100)).kind, 'ok');
      assert.deepEqual(run(stateReadScript(file, 10)), { kind: 'too-large', bytes: 16 });
      assert.deepEqual(run(stateReadScript(file, 16)).kind, 'ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the lock and the watch's stop request are files beside the state file", () => {
    assert.equal(lockFileOf('/var/lib/bluegreen/demo.json'), '/var/lib/bluegreen/demo.json.lock');
    assert.equal(watchStopFileOf('/var/lib/bluegreen/demo.json'), '/var/lib/bluegreen/demo.json.watch-stop');
  });

  it('a canary set, changed and ended: the record replaced or removed, each change in the history, roles and count untouched', () => {
    const canary = { slot: 'green' as const, percent: 10, key: 'cookie:sid', since: record.at, by: redact('ann@ops') };
    const raw = { prod: 'blue', live: 'blue', standby: 'green', switchCount: 3, owner: 'ops', history: [{ n: 1 }] };
    const set = stateWithCanary(raw, canary, 'blue', redact('ann@ops'), record.at);
    assert.deepEqual(set, { ...raw, canary, history: [{ n: 1 }, { timestamp: record.at, kind: 'canary', from: 'blue', to: 'green', percent: 10, key: 'cookie:sid', by: 'ann@ops' }] });
    const read = parseState(JSON.stringify(set));
    assert.ok(read.kind === 'ok');
    assert.deepEqual(read.state.canary, canary);
    const ended = stateWithCanary(set, undefined, 'blue', redact('bob@ops'), '2026-11-30T13:00:00Z');
    assert.equal('canary' in ended, false);
    assert.deepEqual((ended.history as unknown[]).at(-1), { timestamp: '2026-11-30T13:00:00Z', kind: 'canary-end', from: 'green', to: 'blue', by: 'bob@ops' });
    assert.deepEqual([ended.prod, ended.live, ended.standby, ended.switchCount, ended.owner], ['blue', 'blue', 'green', 3, 'ops']);
    assert.deepEqual(stateWithCanary({ prod: 'blue' }, undefined, 'blue', redact('ann'), 'now').history, [{ timestamp: 'now', kind: 'canary-end', from: 'green', to: 'blue', by: 'ann' }]);
  });

  it('a canary record read from the file: malformed ones are ignored, missing fields take their defaults, texts are bounded', () => {
    const canaryIn = (canary: unknown) => {
      const read = parseState(JSON.stringify({ prod: 'blue', canary }));
      assert.ok(read.kind === 'ok');
      return read.state.canary;
    };
    for (const bad of [null, 'green', { slot: 'purple', percent: 10 }, { slot: 'green', percent: '10' }, { percent: 10 }]) assert.equal(canaryIn(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(canaryIn({ slot: 'GREEN', percent: 25 }), { slot: 'green', percent: 25, key: 'source', since: '', by: 'someone' });
    assert.deepEqual(canaryIn({ slot: 'green', percent: 25, key: 7, since: 8, by: 9 }), { slot: 'green', percent: 25, key: 'source', since: '', by: 'someone' });
    const by = canaryIn({ slot: 'green', percent: 25, by: `ann\n${'x'.repeat(500)}` })!.by;
    assert.ok(!by.includes('\n') && by.length < 500, by);
  });

  it('a watch record read from the file: malformed ones are ignored, missing fields take their defaults', () => {
    const watchIn = (watch: unknown) => {
      const read = parseState(JSON.stringify({ prod: 'blue', watch }));
      assert.ok(read.kind === 'ok');
      return read.state.watch;
    };
    for (const bad of [null, 'x', { slot: 'green' }, { slot: 'green', until: 5 }, { slot: 'green', until: 'soon' }, { until: '2026-11-30T12:30:00Z' }]) assert.equal(watchIn(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(watchIn({ slot: 'Green', until: '2026-11-30T12:30:00Z' }), { slot: 'green', until: '2026-11-30T12:30:00Z', since: '', by: 'someone' });
    const by = watchIn({ slot: 'green', until: '2026-11-30T12:30:00Z', since: 's', by: `ann\n${'x'.repeat(500)}` })!;
    assert.ok(by.since === 's' && !by.by.includes('\n') && by.by.length < 500, JSON.stringify(by));
  });

  it('state text is indented JSON ending with a newline', () => {
    assert.equal(stateText({ prod: 'blue', history: [] }), '{\n  "prod": "blue",\n  "history": []\n}\n');
  });

  it('an interrupted watch: time left and nobody holds the lock', () => {
    const watch = { slot: 'green' as const, until: '2026-11-30T12:30:00.000Z', since: record.at, by: redact('ann@ops') };
    const at = Date.parse('2026-11-30T12:07:00Z');
    assert.equal(watchInterrupted(watch, false, at), true);
    assert.equal(watchInterrupted(watch, true, at), false);
    assert.equal(watchInterrupted(watch, false, Date.parse('2026-11-30T12:31:00Z')), false);
    assert.equal(watchInterrupted(watch, false, Date.parse(watch.until)), false, 'no time left at its end');
    assert.equal(watchInterrupted(undefined, false, at), false);
    const app = (lock?: { who: string; operation: string }) => ({ live: 'green', lb: { lock, state: { watch } } }) as unknown as AppSnapshot;
    assert.equal(watchText(app({ who: 'ann@ops', operation: 'release' }), at), 'watching GREEN (23 min left)');
    assert.equal(watchText(app(), at), 'watch interrupted (23 min left)');
    assert.equal(watchText(app(), Date.parse('2026-11-30T12:29:30Z')), 'watch interrupted (30 s left)');
  });
});

describe('a restart in the state file', () => {
  const raw = { live: 'blue', standby: 'green', prod: 'blue', switchCount: 4, lastSwitch: 'T0', watch: { slot: 'blue' }, history: [{ kind: 'release', from: 'green', to: 'blue' }] };
  const rec = { slot: 'blue' as const, role: 'LIVE' as const, servers: ['web-1', 'web-2'], reason: redact('a memory leak'), who: redact('ana@laptop'), at: 'T1' };

  it('appends the entry, which is no switch; roles, counters and the watch stay as they were', () => {
    const { state, moved } = stateWithRestart(raw, rec);
    assert.deepEqual(moved, []);
    assert.deepEqual({ ...state, history: undefined }, { ...raw, history: undefined });
    assert.deepEqual(state.history, [...raw.history, { timestamp: 'T1', kind: 'restart', slot: 'blue', role: 'LIVE', servers: ['web-1', 'web-2'], reason: 'a memory leak', by: 'ana@laptop' }]);
    assert.equal(isSwitch((state.history as Record<string, unknown>[]).at(-1)!), false);
  });

  it('a STANDBY restart has no reason; past historyKept the oldest entries move out, none lost', () => {
    const { state, moved } = stateWithRestart(raw, { ...rec, role: 'STANDBY', reason: undefined }, 1);
    assert.deepEqual(moved, raw.history);
    assert.deepEqual(state.history, [{ timestamp: 'T1', kind: 'restart', slot: 'blue', role: 'STANDBY', servers: ['web-1', 'web-2'], by: 'ana@laptop' }]);
    assert.equal(stateWithRestart(raw, rec, 2).moved.length, 0);
  });
});
