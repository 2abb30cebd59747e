import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CANNOT_JUDGE, ChangedMigration, UnsafeOperation, UnsafeStatement } from './types';

const run = promisify(execFile);

/** squawk's rules for the operations that break a rollback; its other advice is not ours to gate on. */
const RULES: Record<string, UnsafeOperation> = {
  'ban-drop-table': 'DROP TABLE',
  'ban-drop-column': 'DROP COLUMN',
  'renaming-table': 'RENAME TABLE',
  'renaming-column': 'RENAME COLUMN',
  'changing-column-type': 'ALTER COLUMN TYPE',
  'adding-not-nullable-field': 'SET NOT NULL',
  'adding-required-field': 'ADD NOT NULL COLUMN WITHOUT DEFAULT',
  'ban-drop-database': 'DROP DATABASE',
};

/**
 * squawk (`squawk-cli`) as the workspace has it: in node_modules/.bin from the app's folder up
 * to the folder of bluegreen.yaml, never above it (a folder above is not the workspace's, and
 * whatever is there would run), then in PATH's absolute folders.
 */
export function findSquawk(configFolder: string, appFolder = configFolder, envPath = process.env.PATH ?? ''): string | undefined {
  const top = path.resolve(configFolder);
  const from = path.resolve(appFolder);
  const inside = path.relative(top, from).split(path.sep)[0] !== '..' && !path.isAbsolute(path.relative(top, from));
  for (let dir = inside ? from : top; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '.bin', 'squawk');
    if (existsSync(candidate)) return candidate;
    if (dir === top || path.dirname(dir) === dir) break;
  }
  for (const dir of envPath.split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    const candidate = path.join(dir, 'squawk');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface SquawkViolation {
  file: string;
  line: number;
  rule_name: string;
}

/**
 * Runs squawk on the added lines of each file (the other lines blanked, so its line numbers are
 * the file's), in a folder of its own so no project `.squawk.toml` turns off the rules we gate on.
 */
export async function squawkCheck(squawk: string, files: ChangedMigration[]): Promise<{ version: string; unsafe: UnsafeStatement[][] }> {
  const version = (await run(squawk, ['--version'], { timeout: 15000 })).stdout.trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'bluegreen-squawk-'));
  try {
    const names = files.map((f, i) => {
      const name = `${i}.sql`;
      const last = Math.max(0, ...f.lines.keys());
      const text = Array.from({ length: last }, (_, n) => f.lines.get(n + 1) ?? '').join('\n');
      writeFileSync(path.join(dir, name), `${text}\n`);
      return name;
    });
    const stdout = await run(squawk, ['--reporter', 'json', ...names], { cwd: dir, timeout: 60000, maxBuffer: 16 * 1024 * 1024 }).then(
      (r) => r.stdout,
      // It exits 1 when it has something to say; the report is still on stdout.
      (e: { stdout?: string; code?: number; message: string }) => {
        if (e.code === 1 && e.stdout) return e.stdout;
        throw new Error(`squawk failed: ${e.message}`);
      },
    );
    const violations = JSON.parse(stdout || '[]') as SquawkViolation[];
    const unsafe = files.map((): UnsafeStatement[] => []);
    for (const v of violations) {
      // What squawk cannot parse (MySQL's backticks, say) it cannot judge either: a person reads it.
      const unparsed = v.rule_name === 'syntax-error';
      const operation = unparsed ? CANNOT_JUDGE : RULES[v.rule_name];
      const index = names.indexOf(path.basename(v.file));
      if (!operation || index < 0) continue;
      const lines = files[index].lines;
      // A syntax error may be found on a line the change did not add; the added line before it opened the statement.
      const line = unparsed ? Math.max(0, ...[...lines.keys()].filter((n) => n <= v.line + 1)) : v.line + 1;
      const text = lines.get(line);
      if (text === undefined || (unparsed && unsafe[index].some((u) => u.line === line && u.operation === CANNOT_JUDGE))) continue;
      unsafe[index].push({ line, operation, text: text.trim(), ...(unparsed ? { why: 'squawk cannot parse it' } : {}) });
    }
    for (const list of unsafe) list.sort((a, b) => a.line - b.line);
    return { version: version.replace(/^squawk\s*/i, 'squawk '), unsafe };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
