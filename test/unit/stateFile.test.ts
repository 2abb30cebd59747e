import * as assert from 'node:assert/strict';
import { parseState, rotatedHistoryText, stateAfterSwitch, stateReconciled, stateWithoutWatch, watchInterrupted } from '../../src/core/state/stateFile';
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

  it('an interrupted watch: time left and nobody holds the lock', () => {
    const watch = { slot: 'green' as const, until: '2026-11-30T12:30:00.000Z', since: record.at, by: redact('ann@ops') };
    const at = Date.parse('2026-11-30T12:07:00Z');
    assert.equal(watchInterrupted(watch, false, at), true);
    assert.equal(watchInterrupted(watch, true, at), false);
    assert.equal(watchInterrupted(watch, false, Date.parse('2026-11-30T12:31:00Z')), false);
    const app = (lock?: { who: string; operation: string }) => ({ live: 'green', lb: { lock, state: { watch } } }) as unknown as AppSnapshot;
    assert.equal(watchText(app({ who: 'ann@ops', operation: 'release' }), at), 'watching GREEN (23 min left)');
    assert.equal(watchText(app(), at), 'watch interrupted (23 min left)');
    assert.equal(watchText(app(), Date.parse('2026-11-30T12:29:30Z')), 'watch interrupted (30 s left)');
  });
});
