import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadWithStandIn } from '../../lab/vscodeStandIn';

describe('activate() (invariant 9, RELIABILITY row 34)', () => {
  const extension = loadWithStandIn(path.join(__dirname, '../../src/extension.js'));

  it('exports only activate and deactivate', () => {
    assert.deepEqual(Object.keys(extension).sort(), ['activate', 'deactivate']);
  });

  it('returns nothing in production: no other extension can answer a confirmation', () => {
    for (const mode of [1, 2]) {
      const api = extension.activate({ extensionMode: mode, subscriptions: [] });
      assert.equal(api, undefined, `extension mode ${mode} returned an API`);
    }
  });

  it('returns the test API, with its confirmation seam, in ExtensionMode.Test only', () => {
    const api = extension.activate({ extensionMode: 3, subscriptions: [] }) as { confirmSeam?: { asked: unknown[] } } | undefined;
    assert.ok(api?.confirmSeam, 'the extension-host suite has no way to answer dialogs');
    assert.deepEqual(api.confirmSeam.asked, []);
  });
});
