import { AppConfig, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { remote } from '../remote/scripts';
import { MARK_PREFIX } from '../ssh/output';
import { CommandRunner, HostRef } from '../ssh/runner';
import { slotHost } from '../config/hostRefs';
import { builtinCheck } from './builtinCheck';
import { parseAddedLines } from './changed';
import { DIALECT_NAMES, DialectChoice, dialectOfPrismaSchema, PRISMA_SCHEMA } from './dialect';
import { findSquawk, squawkCheck } from './squawk';
import { ChangedMigration, MigrationReport, UnsafeStatement } from './types';

const MISSING_MARK = `${MARK_PREFIX}migrations-missing`;

export interface MigrationCheckRequest {
  runner: CommandRunner;
  app: AppConfig;
  /** The slot whose repository has both commits (STANDBY, which was fetched last). */
  repoSlot: SlotName;
  from: string;
  to: string;
  /** The folder of bluegreen.yaml: squawk is looked for in the node_modules of the app's folder up to it, then on PATH. */
  workspace?: string;
  signal?: AbortSignal;
}

/**
 * The migration files between two commits (`deploy.migrations`), read from the slot's git
 * repository over SSH, and the statements in their added lines that break a rollback to the
 * older release while both share one database — in the dialect the config names, else the one
 * prisma/schema.prisma names at the newer commit, else PostgreSQL; by squawk when the workspace
 * has it and the SQL is PostgreSQL's (the built-in check adding what squawk did not flag), else
 * by the built-in check.
 */
export async function checkMigrations(r: MigrationCheckRequest): Promise<MigrationReport> {
  const globs = r.app.deploy.migrations;
  const none = (checker: string, unavailable?: string): MigrationReport => ({ checker, files: [], unavailable });
  if (!globs.length || r.from === r.to) return none('none (nothing to compare)');
  const s = r.app.slots[r.repoSlot].servers[0];
  const host = slotHost(r.app, r.repoSlot);
  const out = await r.runner.run(host, remote.migrationsDiff(s.dir, r.from, r.to, MISSING_MARK, globs), { signal: r.signal, timeoutMs: 30000, lane: 'probe' });
  const missing = new RegExp(`^${MISSING_MARK} (\\S+)$`, 'm').exec(out.stdout)?.[1];
  if (missing) return none('none', `commit ${missing.slice(0, 7)} is not in the repository on ${s.ssh}, so the migrations between LIVE and STANDBY could not be listed`);
  if (out.code !== 0) return none('none', `git diff failed on ${s.ssh}: ${lastLine(out.stderr, out.code)}`);
  const changed = parseAddedLines(out.stdout);
  if (!changed.length) return { checker: 'the built-in check', files: [] };
  const { choice, problem } = await chooseDialect(r, host, s);
  const squawk = r.workspace ? findSquawk(r.workspace, r.app.folder) : undefined;
  const builtin = (o: { problem?: string; note?: string } = {}): MigrationReport => ({
    checker: 'the built-in check',
    dialect: choice,
    files: changed.map((f) => ({ path: f.path, added: f.added, unsafe: f.unreadable ? [f.unreadable] : builtinCheck(f.lines, choice.dialect) })),
    checkerProblem: [problem, o.problem].filter(Boolean).join('; ') || undefined,
    checkerNote: o.note,
  });
  if (!squawk) return builtin();
  if (choice.dialect !== 'postgres') return builtin({ note: 'squawk reads PostgreSQL only' });
  try {
    const found = await squawkCheck(squawk, changed);
    const files = changed.map((f, i) => ({ path: f.path, added: f.added, unsafe: f.unreadable ? [f.unreadable] : besideSquawk(found.unsafe[i], f) }));
    return { checker: `${found.version} and the built-in check`, dialect: choice, files, checkerProblem: problem };
  } catch (e) {
    return builtin({ problem: `${squawk} could not be used (${errorMessage(e)})` });
  }
}

/**
 * squawk's findings, and the built-in check's that squawk did not make: what squawk has no rule
 * for (a schema dropped or moved, what it cannot see into), what its rules miss (a NOT NULL
 * column whose default is NULL, a PRIMARY KEY column), and everything when it could not parse
 * the file. Both name the line of the action, so one found by both is listed once.
 */
function besideSquawk(bySquawk: UnsafeStatement[], f: ChangedMigration): UnsafeStatement[] {
  const more = builtinCheck(f.lines, 'postgres').filter((u) => !bySquawk.some((s) => s.line === u.line && s.operation === u.operation));
  return [...bySquawk, ...more].sort((a, b) => a.line - b.line);
}

/** The dialect the config names; else the one prisma/schema.prisma's datasource names at the newer commit; else PostgreSQL. */
async function chooseDialect(r: MigrationCheckRequest, host: HostRef, s: { ssh: string; dir: string }): Promise<{ choice: DialectChoice; problem?: string }> {
  const configured = r.app.deploy.migrationsDialect;
  if (configured) return { choice: { dialect: configured, from: 'deploy.migrationsDialect' } };
  const out = await r.runner.run(host, remote.prismaDatasource(s.dir, r.to, PRISMA_SCHEMA), { signal: r.signal, timeoutMs: 30000, lane: 'probe' });
  if (out.code !== 0) return { choice: { dialect: 'postgres' }, problem: `${PRISMA_SCHEMA} could not be read on ${s.ssh} (${lastLine(out.stderr, out.code)}), so the migrations were read as PostgreSQL` };
  const named = dialectOfPrismaSchema(out.stdout);
  return { choice: named ? { dialect: named, from: PRISMA_SCHEMA } : { dialect: 'postgres' } };
}

function lastLine(stderr: string, code: number | null): string {
  return (stderr.trim() || `exit ${code}`).split('\n').pop()!;
}

/** "the built-in check for MySQL": which check ran, on which SQL. */
export function checkedBy(report: MigrationReport): string {
  return report.dialect ? `${report.checker} for ${DIALECT_NAMES[report.dialect.dialect]}` : report.checker;
}

/** "prisma/migrations/20261201_drop/migration.sql:2 DROP COLUMN — ALTER TABLE "User" DROP COLUMN "email"" */
export function unsafeLine(file: string, u: UnsafeStatement): string {
  return `${file}:${u.line} ${u.operation}${u.why ? ` (${u.why})` : ''} — ${u.text}`;
}

/** The report as lines for a dialog or a terminal: the files, each unsafe statement, and which check ran. */
export function migrationLines(report: MigrationReport, olderSlot: string): string[] {
  if (report.unavailable) return [`⚠ Migrations not checked: ${report.unavailable}.`];
  if (!report.files.length) return [];
  const unsafe = report.files.flatMap((f) => f.unsafe.map((u) => unsafeLine(f.path, u)));
  const chosen = report.dialect && (report.dialect.from ? `, as ${report.dialect.from} says` : ', the default');
  const note = report.checkerNote ? `; ${report.checkerNote}` : '';
  const lines = [`Migrations changed (${report.files.length}, checked by ${checkedBy(report)}${chosen ?? ''}${note}): ${report.files.map((f) => f.path).join(', ')}`];
  if (report.checkerProblem) lines.push(`⚠ ${report.checkerProblem}.`);
  if (unsafe.length) lines.push(`⚠ ${unsafe.length} statement(s) break a rollback to ${olderSlot} while both slots share one database:`, ...unsafe.map((l) => `  ${l}`));
  return lines;
}
