import * as assert from 'node:assert/strict';
import { titleActions } from '../../src/core/status/titleActions';
import { AppSnapshot } from '../../src/core/status/snapshot';

function app(o: { live?: 'blue' | 'green'; reachable?: boolean; standbyHealth?: 'up' | 'down' }): AppSnapshot {
  const live = 'live' in o ? o.live : 'blue';
  const standby = live === undefined ? undefined : live === 'blue' ? 'green' : 'blue';
  const slot = (name: 'blue' | 'green') => ({ name, health: name === standby ? (o.standbyHealth ?? 'up') : 'up' });
  return { name: 'demo', live, standby, lb: { reachable: o.reachable ?? true }, slots: { blue: slot('blue'), green: slot('green') } } as unknown as AppSnapshot;
}

describe("the view's title bar: Deploy and Release when they apply", () => {
  it('Deploy once LIVE is known; Release once STANDBY is healthy too; both for any app of several', () => {
    assert.deepEqual(titleActions([app({})]), { canDeploy: true, canRelease: true });
    assert.deepEqual(titleActions([app({ standbyHealth: 'down' })]), { canDeploy: true, canRelease: false });
    assert.deepEqual(titleActions([app({ live: undefined })]), { canDeploy: false, canRelease: false });
    assert.deepEqual(titleActions([app({ reachable: false })]), { canDeploy: false, canRelease: false });
    assert.deepEqual(titleActions([]), { canDeploy: false, canRelease: false });
    assert.deepEqual(titleActions([app({ live: undefined }), app({ standbyHealth: 'down' }), app({ live: 'green' })]), { canDeploy: true, canRelease: true });
  });
});
