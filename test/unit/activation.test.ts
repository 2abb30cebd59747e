import * as assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';

/**
 * A stand-in for the `vscode` module that accepts every call: enough for activate() to run
 * outside an editor, so what it returns can be checked for each extension mode.
 */
function permissiveVscode(): unknown {
  const modes = { Production: 1, Development: 2, Test: 3 };
  const anything: unknown = new Proxy(function () {}, {
    get: (_target, key) => (key === 'then' ? undefined : key === 'ExtensionMode' ? modes : key === Symbol.toPrimitive ? () => 0 : anything),
    apply: () => anything,
    construct: () => anything as object,
    set: () => true,
    defineProperty: () => true,
  });
  return anything;
}

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };

function loadExtension(): { activate(context: unknown): unknown; [key: string]: unknown } {
  const fakePath = path.join(__dirname, 'vscode-stand-in.js');
  const realResolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = (request, ...rest) => (request === 'vscode' ? fakePath : realResolve(request, ...rest));
  const fake = new Module(fakePath);
  fake.exports = permissiveVscode();
  fake.loaded = true;
  moduleInternals._cache[fakePath] = fake;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in is in place
    return require('../../src/extension');
  } finally {
    moduleInternals._resolveFilename = realResolve;
  }
}

describe('activate() (invariant 9, RELIABILITY row 34)', () => {
  const extension = loadExtension();

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
