// Loads the extension outside an editor, with a stand-in for the `vscode` module that accepts
// every call: for checking what activate() returns in each mode (a unit test) and timing it
// on the production bundle (the bench).
import Module from 'node:module';
import * as path from 'node:path';

function permissiveVscode(): unknown {
  const modes = { Production: 1, Development: 2, Test: 3 };
  const anything: unknown = new Proxy(function () {}, {
    get: (_target, key) => (key === 'then' ? undefined : key === 'ExtensionMode' ? modes : key === Symbol.toPrimitive ? () => 0 : anything),
    apply: () => anything,
    construct: () => anything as object,
    set: () => true,
    defineProperty: () => true,
    // esbuild's bundle copies a CommonJS module's own keys onto an object whose prototype is
    // the module's: the stand-in is its own prototype, so every other key still reaches it.
    getPrototypeOf: () => anything as object,
  });
  return anything;
}

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };

export interface LoadedExtension {
  activate(context: { extensionMode: number; subscriptions: unknown[] }): unknown;
  [key: string]: unknown;
}

/** `require`s the extension at `file` with `vscode` resolved to the stand-in. */
export function loadWithStandIn(file: string): LoadedExtension {
  const fakePath = path.join(path.dirname(file), 'vscode-stand-in.js');
  const realResolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = (request, ...rest) => (request === 'vscode' ? fakePath : realResolve(request, ...rest));
  const fake = new Module(fakePath);
  fake.exports = permissiveVscode();
  fake.loaded = true;
  moduleInternals._cache[fakePath] = fake;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stand-in is in place
    return require(file) as LoadedExtension;
  } finally {
    moduleInternals._resolveFilename = realResolve;
  }
}
