// `npm run mutation [-- --only <module>]… [--save] [--break <score>] [--concurrency <n>]`
//
// StrykerJS over the safety modules (stryker.config.mjs lists them) with the unit suite.
// Prints each module's figures and its surviving mutants; with --save writes bench/mutation.json
// (each module's sha256, read by scripts/mutation-ci.mjs, its figures and survivors) and
// bench/mutation.md from it; with --only too, only those modules' entries are replaced. Survivors judged equivalent are listed, each with why, in
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
if (save && only.length && !existsSync(SIDECAR)) usage(`--save with --only updates a saved run: run them all with --save first (no ${SIDECAR})`);
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
if (stale.length) console.log(`Listed as equivalent, not surviving this run (killed, or timed out under load; remove from ${EQUIVALENT} if killed for good):\n${stale.map((e) => `  ${e.file} ${e.mutator}: \`${e.original}\` → \`${e.replacement}\``).join('\n')}\n`);
console.log(`mutation: ${modules.length} module(s), ${total.mutants} mutants, ${pct(score(total))} killed, in ${Math.floor(seconds / 60)} min ${seconds % 60} s`);

if (save) {
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', ...modules, 'test') !== '';
  const date = started.toISOString().replace(/\.\d+Z$/, 'Z');
  const { version } = JSON.parse(readFileSync(require.resolve('@stryker-mutator/core/package.json'), 'utf8'));
  // A run of some modules replaces only theirs: the rest keep what the whole run said of them.
  const before = only.length && existsSync(SIDECAR) ? JSON.parse(readFileSync(SIDECAR, 'utf8')) : undefined;
  const run = { date, commit: `${commit}${dirty ? ' (with uncommitted changes)' : ''}`, seconds, modules: modules.length === safetyModules.length ? 'all' : modules };
  const sidecar = before
    ? { ...before, reruns: [...(before.reruns ?? []), run], modules: { ...before.modules } }
    : { date, commit: run.commit, seconds, stryker: version, concurrency: concurrency ?? null, node: process.version, reruns: [], modules: {} };
  for (const m of modules) {
    sidecar.modules[m] = {
      sha256: sha256(m),
      ...figures.get(m),
      score: Number(score(figures.get(m)).toFixed(1)),
      survivors: survivors.filter((x) => relative(x.fileName) === m).map((x) => `${where(x)} ${x.status === 'NoCoverage' ? '(no coverage) ' : ''}${mutation(x)}`),
      equivalents: equivalents.filter(({ m: x }) => relative(x.fileName) === m).map(({ m: x, why }) => `${where(x)} ${mutation(x)} — ${why}`),
    };
  }
  writeFileSync(SIDECAR, `${JSON.stringify(sidecar, null, 2)}\n`);
  writeFileSync(BENCH, mutationReport(sidecar));
  console.log(`mutation: wrote ${BENCH} and ${SIDECAR}`);
}

/** bench/mutation.md, from bench/mutation.json alone (a run of some modules rewrites it whole). */
function mutationReport(sidecar) {
  const rows = safetyModules.filter((m) => sidecar.modules[m]);
  const all = rows.map((m) => sidecar.modules[m]).reduce((t, f) => Object.fromEntries(Object.keys(t).map((k) => [k, t[k] + f[k]])), { mutants: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0, equivalent: 0 });
  const minutes = (n) => `${Math.floor(n / 60)} min ${n % 60} s`;
  return [
    '# Mutation testing of the safety modules',
    '',
    `Saved by \`npm run mutation -- --save\`: a whole run at ${sidecar.date}, commit ${sidecar.commit}, took **${minutes(sidecar.seconds)}**`,
    `(StrykerJS ${sidecar.stryker}, mocha runner over the unit suite, coverage per test, concurrency ${sidecar.concurrency ?? 'as in stryker.config.mjs'}, Node ${sidecar.node}).`,
    ...sidecar.reruns.map((r) => `Since then \`--only … --save\` re-ran ${r.modules === 'all' ? 'every module' : r.modules.join(', ')} at ${r.date}, commit ${r.commit}, in ${minutes(r.seconds)}: their rows below are that run's.`),
    '',
    'Score: killed (timeouts included) of all mutants, covered by a test or not; a mutant that does not compile or crashes is none.',
    'An equivalent mutant (listed below, with why) still counts as a survivor. CI (scripts/mutation-ci.mjs, the end of `npm test`)',
    `runs the modules whose sha256 differs from ${SIDECAR}'s, and fails under 85 %.`,
    '',
    '| module | mutants | killed | survived | no coverage | timeout | equivalent | score (all mutants) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((m) => {
      const f = sidecar.modules[m];
      return `| ${m} | ${f.mutants} | ${f.killed} | ${f.survived} | ${f.noCoverage} | ${f.timeout} | ${f.equivalent} | ${pct(score(f))} |`;
    }),
    `| **all** | ${all.mutants} | ${all.killed} | ${all.survived} | ${all.noCoverage} | ${all.timeout} | ${all.equivalent} | ${pct(score(all))} |`,
    '',
    `## Survivors not judged equivalent (${rows.reduce((n, m) => n + sidecar.modules[m].survivors.length, 0)})`,
    '',
    ...(rows.some((m) => sidecar.modules[m].survivors.length) ? rows.flatMap((m) => sidecar.modules[m].survivors.map((line) => `- ${line}`)) : ['None.']),
    '',
    `## Equivalent mutants (${rows.reduce((n, m) => n + sidecar.modules[m].equivalents.length, 0)})`,
    '',
    'Each survived, and cannot change what the code does (the judgement, with its reason, is kept in',
    `${EQUIVALENT}):`,
    '',
    ...(rows.some((m) => sidecar.modules[m].equivalents.length) ? rows.flatMap((m) => sidecar.modules[m].equivalents.map((line) => `- ${line}`)) : ['None.']),
    '',
  ].join('\n');
}

if (floor !== undefined) {
  const low = modules.filter((m) => score(figures.get(m)) < floor);
  if (low.length) {
    console.error(`mutation: under ${floor} %: ${low.map((m) => `${m} (${pct(score(figures.get(m)))})`).join(', ')}`);
    process.exitCode = 1;
  }
}
