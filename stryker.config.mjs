// StrykerJS over the modules that decide what happens to production (issue 30), with the
// unit suite. Run it through scripts/mutation.mjs (`npm run mutation`), which picks the
// modules, the concurrency and the thresholds, and writes bench/mutation.md with --save.

// The safety modules, in the order bench/mutation.md lists them.
export const safetyModules = [
  'src/core/approval/socket.ts',
  'src/core/state/stateFile.ts',
  'src/core/migrations/builtinCheck.ts',
  'src/core/workflows/parts/whoAnswered.ts',
  'src/core/haproxy/canary.ts',
  'src/core/haproxy/strayRoutes.ts',
  'src/core/haproxy/config.ts',
  'src/core/redact.ts',
  'src/core/plan/gates.ts',
  'src/core/plan/stagingVerdict.ts',
  'src/core/workflows/parts/lbChange.ts',
  'src/core/haproxy/tokens.ts',
];

/** The unit tests of the safety modules, fastest first. */
const FIRST = ['reporter', 'haproxyConfig', 'haproxyTokens', 'canary', 'stateFile', 'whoAnswered', 'approvalSocket', 'gates', 'promotionGate', 'plan', 'statusParse', 'migrations'].map((name) => `out/test/unit/${name}.test.js`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const config = {
  packageManager: 'npm',
  testRunner: 'mocha',
  // The unit suite, less the packaging tests: they build a VSIX and read what files it holds
  // (9 of the suite's 23 s), which no mutant of these modules can change. The tests of the
  // safety modules run first: a mutant in code that runs when a module loads (a regular
  // expression, a table) is "static", run against every test in a fresh process, and its own
  // module's tests, failing first, end that run early (mocha bails at the first failure).
  mochaOptions: { config: '.mocharc.unit.json', file: FIRST, ignore: [...FIRST, 'out/test/unit/packaging.test.js'] },
  buildCommand: 'node scripts/mutation.mjs --build',
  mutate: safetyModules,
  // scripts/mutation.mjs --build links it (the build needs it before Stryker would).
  symlinkNodeModules: false,
  coverageAnalysis: 'perTest',
  // Two cores, shared with whoever is compiling alongside.
  concurrency: 1,
  reporters: ['clear-text', process.stdout.isTTY ? 'progress' : 'progress-append-only', 'json', 'html'],
  // scripts/mutation.mjs lists the survivors, one line each.
  clearTextReporter: { reportMutants: false, reportTests: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  ignorePatterns: ['out', 'dist', 'scratch', '.lab', '.vscode-test', '*.vsix', 'reports', 'bench/mutation.md'],
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: 'always',
};

export default config;
