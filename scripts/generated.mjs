// What the generators share: write the generated file, or with --check fail when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

/** `target` (a URL or path) gets `text`; with `--check` in the arguments, exits 1 with `stale` when it differs. */
export function writeOrCheck(target, text, stale) {
  if (!process.argv.includes('--check')) {
    writeFileSync(target, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(stale);
    process.exit(1);
  }
}
