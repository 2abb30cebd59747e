// `npm run mutation [-- --only <module>]… [--save] [--break <score>] [--concurrency <n>]`
//
// StrykerJS over the safety modules (stryker.config.mjs lists them) with the unit suite.
// Prints each module's figures and its surviving mutants; with --save (a whole run only)
// writes bench/mutation.md and bench/mutation.json (each module's sha256, read by
// scripts/mutation-ci.mjs). Survivors judged equivalent are listed, each with why, in
// bench/mutation-equivalent.json; the score still counts them as survivors.
//
// `--build` is Stryker's build step in its sandbox (stryker.config.mjs's buildCommand).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === '--build') {
  // Stryker links node_modules into its sandbox only after the build; esbuild's aliases need it before.
  if (!existsSync('node_modules')) symlinkSync(path.resolve(require.resolve('typescript/package.json'), '../..'), 'node_modules', 'junction');
  const run = (argv) => execFileSync(process.execPath, argv, { stdio: 'inherit' });
  run(['node_modules/typescript/bin/tsc', '-p', '.']);
  run(['scripts/copy-text.mjs']);
  // Three unit tests read the bundles (what is exported, what ships).
  run(['esbuild.mjs']);
  process.exit(0);
}

const { safetyModules } = await import('../stryker.config.mjs');
const BENCH = 'bench/mutation.md';
const SIDECAR = 'bench/mutation.json';
const EQUIVALENT = 'bench/mutation-equivalent.json';

function usage(message) {
  console.error(`mutation: ${message}\nusage: npm run mutation -- [--only <module>]… [--save] [--break <score>] [--concurrency <n>]`);
  process.exit(2);
}

const only = [];
let save = false;
let floor;
let concurrency;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--save') save = true;
  else if (a === '--only') only.push(args[++i] ?? usage('--only needs a module path'));
  else if (a === '--break') floor = Number(args[++i]);
  else if (a === '--concurrency') concurrency = Number(args[++i]);
  else usage(`unknown argument ${a}`);
}
for (const m of only) if (!safetyModules.includes(m)) usage(`${m} is not one of the safety modules:\n  ${safetyModules.join('\n  ')}`);
if (floor !== undefined && !(floor >= 0 && floor <= 100)) usage('--break needs a score from 0 to 100');
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) usage('--concurrency needs a whole number');
if (save && only.length) usage('--save records a whole run: leave out --only');
const modules = only.length ? only : safetyModules;

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const git = (...argv) => execFileSync('git', argv, { encoding: 'utf8' }).trim();

const { Stryker } = await import('@stryker-mutator/core');
const started = new Date();
const results = await new Stryker({
  configFile: 'stryker.config.mjs',
  mutate: modules,
  ...(concurrency ? { concurrency } : {}),
  ...(floor === undefined ? {} : { thresholds: { high: 90, low: floor, break: floor } }),
}).runMutationTest();
const seconds = Math.round((Date.now() - started.getTime()) / 1000);

const equivalent = existsSync(EQUIVALENT) ? JSON.parse(readFileSync(EQUIVALENT, 'utf8')).mutants : [];
const sources = new Map();
const linesOf = (file) => {
  if (!sources.has(file)) sources.set(file, readFileSync(file, 'utf8').split('\n'));
  return sources.get(file);
};
/** The code a mutant replaced (Stryker's locations: lines and columns from 1). */
const originalOf = (m) => {
  const { start, end } = m.location;
  const lines = linesOf(m.fileName).slice(start.line - 1, end.line);
  if (!lines.length) return '';
  lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1);
  lines[0] = lines[0].slice(start.column - 1);
  return lines.join('\n');
};
const relative = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
/** The judgement for a survivor: same file and mutator, the same code replaced by the same text. */
const judged = (m) => equivalent.find((e) => e.file === relative(m.fileName) && e.mutator === m.mutatorName && e.original === originalOf(m) && e.replacement === m.replacement);

const STATUS = { Killed: 'killed', Survived: 'survived', NoCoverage: 'noCoverage', Timeout: 'timeout', CompileError: 'errors', RuntimeError: 'errors', Ignored: 'ignored' };
const figures = new Map(modules.map((m) => [m, { mutants: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0, errors: 0, ignored: 0, equivalent: 0 }]));
const survivors = [];
const equivalents = [];
for (const m of results) {
  const f = figures.get(relative(m.fileName));
  if (!f) continue;
  const status = STATUS[m.status];
  if (status === undefined) throw new Error(`mutant ${m.id}: status ${m.status}`);
  f[status]++;
  if (status !== 'ignored' && status !== 'errors') f.mutants++;
  if (status !== 'survived' && status !== 'noCoverage') continue;
  const entry = judged(m);
  if (entry) {
    f.equivalent++;
    equivalents.push({ m, entry, why: entry.why });
  } else survivors.push(m);
}
/** Killed (timeouts included) of all mutants, covered or not; compile and run-time errors are no mutants. */
const score = (f) => (f.mutants ? (100 * (f.killed + f.timeout)) / f.mutants : 100);
const total = [...figures.values()].reduce((t, f) => Object.fromEntries(Object.keys(t).map((k) => [k, t[k] + f[k]])));
const pct = (n) => `${n.toFixed(1)} %`;
const where = (m) => `${relative(m.fileName)}:${m.location.start.line}`;
const shown = (s) => s.replace(/\s+/g, ' ').slice(0, 120);
const mutation = (m) => `${m.mutatorName}: \`${shown(originalOf(m))}\` → \`${shown(m.replacement)}\``;

const table = [
  '| module | mutants | killed | survived | no coverage | timeout | equivalent | score (all mutants) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...modules.map((m) => {
    const f = figures.get(m);
    return `| ${m} | ${f.mutants} | ${f.killed} | ${f.survived} | ${f.noCoverage} | ${f.timeout} | ${f.equivalent} | ${pct(score(f))} |`;
  }),
  `| **all** | ${total.mutants} | ${total.killed} | ${total.survived} | ${total.noCoverage} | ${total.timeout} | ${total.equivalent} | ${pct(score(total))} |`,
];

console.log(`\n${table.join('\n')}\n`);
if (survivors.length) console.log(`Survivors not judged equivalent (${survivors.length}):\n${survivors.map((m) => `  ${where(m)} ${m.status === 'NoCoverage' ? '(no coverage) ' : ''}${mutation(m)}`).join('\n')}\n`);
const stale = equivalent.filter((e) => modules.includes(e.file) && !equivalents.some((q) => q.entry === e));
if (stale.length) console.log(`Listed as equivalent but not surviving (remove from ${EQUIVALENT}):\n${stale.map((e) => `  ${e.file} ${e.mutator}: \`${e.original}\` → \`${e.replacement}\``).join('\n')}\n`);
console.log(`mutation: ${modules.length} module(s), ${total.mutants} mutants, ${pct(score(total))} killed, in ${Math.floor(seconds / 60)} min ${seconds % 60} s`);

if (save) {
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', ...modules, 'test') !== '';
  const date = started.toISOString().replace(/\.\d+Z$/, 'Z');
  const { version } = JSON.parse(readFileSync(require.resolve('@stryker-mutator/core/package.json'), 'utf8'));
  const md = [
    '# Mutation testing of the safety modules',
    '',
    `Saved by \`npm run mutation -- --save\`: ${date}, commit ${commit}${dirty ? ' (with uncommitted changes to these modules or the tests)' : ''}; the whole run took **${Math.floor(seconds / 60)} min ${seconds % 60} s**`,
    `(StrykerJS ${version}, mocha runner over the unit suite, coverage per test, concurrency ${concurrency ?? 'as in stryker.config.mjs'}, Node ${process.version}).`,
    '',
    'Score: killed (timeouts included) of all mutants, covered by a test or not; a mutant that does not compile or crashes is none.',
    'An equivalent mutant (listed below, with why) still counts as a survivor. CI (scripts/mutation-ci.mjs) runs the modules whose',
    `sha256 differs from ${SIDECAR}'s, and fails under 85 %.`,
    '',
    ...table,
    '',
    `## Survivors that change behaviour (${survivors.length})`,
    '',
    ...(survivors.length ? survivors.map((m) => `- ${where(m)} ${m.status === 'NoCoverage' ? '(no coverage) ' : ''}${mutation(m)}`) : ['None.']),
    '',
    `## Equivalent mutants (${equivalents.length})`,
    '',
    'Each survived, and cannot change what the code does (the judgement, with its reason, is kept in',
    `${EQUIVALENT}):`,
    '',
    ...(equivalents.length ? equivalents.map(({ m, why }) => `- ${where(m)} ${mutation(m)} — ${why}`) : ['None.']),
    '',
  ].join('\n');
  writeFileSync(BENCH, md);
  const sidecar = { date, commit, seconds, stryker: version, modules: Object.fromEntries(modules.map((m) => [m, { sha256: sha256(m), ...figures.get(m), score: Number(score(figures.get(m)).toFixed(1)) }])) };
  writeFileSync(SIDECAR, `${JSON.stringify(sidecar, null, 2)}\n`);
  console.log(`mutation: wrote ${BENCH} and ${SIDECAR}`);
}

if (floor !== undefined) {
  const low = modules.filter((m) => score(figures.get(m)) < floor);
  if (low.length) {
    console.error(`mutation: under ${floor} %: ${low.map((m) => `${m} (${pct(score(figures.get(m)))})`).join(', ')}`);
    process.exitCode = 1;
  }
}
