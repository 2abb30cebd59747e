import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadWithStandIn } from '../../lab/vscodeStandIn';

// The compiled sources, and the bundle that ships (npm test builds it before the unit tests).
const BUILDS: [string, string][] = [
  ['compiled', path.join(__dirname, '../../src/extension.js')],
  ['bundled', path.join(__dirname, '../../../dist/extension.js')],
];

for (const [label, file] of BUILDS) {
  describe(`activate(), ${label} (invariant 9, RELIABILITY row 34)`, () => {
    before(() => assert.ok(existsSync(file), `${file} is missing: run npm run build first`));
    const extension = () => loadWithStandIn(file);

    it('exports only activate and deactivate', () => {
      assert.deepEqual(Object.keys(extension()).filter((k) => k !== '__esModule').sort(), ['activate', 'deactivate']);
    });

    it('returns nothing in production: no other extension can answer a confirmation', () => {
      for (const mode of [1, 2]) {
        const api = extension().activate({ extensionMode: mode, subscriptions: [] });
        assert.equal(api, undefined, `extension mode ${mode} returned an API`);
      }
    });

    it('returns the test API, with its confirmation seam, in ExtensionMode.Test only', () => {
      const api = extension().activate({ extensionMode: 3, subscriptions: [] }) as { confirmSeam?: { asked: unknown[] } } | undefined;
      assert.ok(api?.confirmSeam, 'the extension-host suite has no way to answer dialogs');
      assert.deepEqual(api.confirmSeam.asked, []);
    });
  });
}
