// The CI step of issue 30 (the end of `npm test`): StrykerJS over the safety modules whose source
// changed since bench/mutation.md was saved (their sha256 in bench/mutation.json), failing when
// one kills fewer than 85 % of its mutants. Nothing changed: nothing runs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const FLOOR = 85;
const SIDECAR = 'bench/mutation.json';
const { safetyModules } = await import('../stryker.config.mjs');
const saved = existsSync(SIDECAR) ? JSON.parse(readFileSync(SIDECAR, 'utf8')).modules : {};
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const changed = safetyModules.filter((m) => saved[m]?.sha256 !== sha256(m));
if (!changed.length) {
  console.log('mutation: no safety module changed since the saved run');
  process.exit(0);
}
console.log(`mutation: changed since the saved run: ${changed.join(', ')}`);
const r = spawnSync(process.execPath, ['scripts/mutation.mjs', ...changed.flatMap((m) => ['--only', m]), '--break', String(FLOOR), '--concurrency', '2'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
