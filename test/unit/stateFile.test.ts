import * as assert from 'node:assert/strict';
import { parseState, rotatedHistoryText, stateAfterSwitch, stateReconciled } from '../../src/core/state/stateFile';

const record = { from: 'blue' as const, to: 'green' as const, kind: 'release' as const, who: 'ann@ops', at: '2026-11-30T12:00:00Z', fromVersion: '1.1.0', toVersion: '1.2.0' };

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
    const next = stateReconciled({ prod: 'green', live: 'green', standby: 'blue', history: [] }, 'blue', 'green', 'ann@ops', record.at);
    assert.deepEqual([next.prod, next.live, next.standby], ['blue', 'blue', 'green']);
    assert.deepEqual(next.history, [{ timestamp: record.at, kind: 'reconcile', live: 'blue', recorded: 'green', by: 'ann@ops' }]);
  });
});
