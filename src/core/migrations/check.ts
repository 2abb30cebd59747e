import { AppConfig, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { remote } from '../remote/scripts';
import { MARK_PREFIX } from '../ssh/output';
import { CommandRunner } from '../ssh/runner';
import { slotHost } from '../config/hostRefs';
import { builtinCheck } from './builtinCheck';
import { parseAddedLines } from './changed';
import { findSquawk, squawkCheck } from './squawk';
import { MigrationReport, UnsafeStatement } from './types';

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
 * older release while both share one database — by squawk when the workspace has it, else by
 * the built-in check.
 */
export async function checkMigrations(r: MigrationCheckRequest): Promise<MigrationReport> {
  const globs = r.app.deploy.migrations;
  const none = (checker: string, unavailable?: string): MigrationReport => ({ checker, files: [], unavailable });
  if (!globs.length || r.from === r.to) return none('none (nothing to compare)');
  const s = r.app.slots[r.repoSlot].servers[0];
  const out = await r.runner.run(slotHost(r.app, r.repoSlot), remote.migrationsDiff(s.dir, r.from, r.to, MISSING_MARK, globs), { signal: r.signal, timeoutMs: 30000, lane: 'probe' });
  const missing = new RegExp(`^${MISSING_MARK} (\\S+)$`, 'm').exec(out.stdout)?.[1];
  if (missing) return none('none', `commit ${missing.slice(0, 7)} is not in the repository on ${s.ssh}, so the migrations between LIVE and STANDBY could not be listed`);
  if (out.code !== 0) return none('none', `git diff failed on ${s.ssh}: ${(out.stderr.trim() || `exit ${out.code}`).split('\n').pop()}`);
  const changed = parseAddedLines(out.stdout);
  const builtin = (checkerProblem?: string): MigrationReport => ({ checker: 'the built-in check', files: changed.map((f) => ({ path: f.path, added: f.added, unsafe: builtinCheck(f.lines) })), checkerProblem });
  if (!changed.length) return builtin();
  const squawk = r.workspace ? findSquawk(r.workspace, r.app.folder) : undefined;
  if (!squawk) return builtin();
  try {
    const found = await squawkCheck(squawk, changed);
    return { checker: found.version, files: changed.map((f, i) => ({ path: f.path, added: f.added, unsafe: found.unsafe[i] })) };
  } catch (e) {
    return builtin(`${squawk} could not be used (${errorMessage(e)})`);
  }
}

/** "prisma/migrations/20261201_drop/migration.sql:2 DROP COLUMN — ALTER TABLE "User" DROP COLUMN "email"" */
export function unsafeLine(file: string, u: UnsafeStatement): string {
  return `${file}:${u.line} ${u.operation} — ${u.text}`;
}

/** The report as lines for a dialog or a terminal: the files, each unsafe statement, and which check ran. */
export function migrationLines(report: MigrationReport, olderSlot: string): string[] {
  if (report.unavailable) return [`⚠ Migrations not checked: ${report.unavailable}.`];
  if (!report.files.length) return [];
  const unsafe = report.files.flatMap((f) => f.unsafe.map((u) => unsafeLine(f.path, u)));
  const lines = [`Migrations changed (${report.files.length}, checked by ${report.checker}): ${report.files.map((f) => f.path).join(', ')}`];
  if (report.checkerProblem) lines.push(`⚠ ${report.checkerProblem}.`);
  if (unsafe.length) lines.push(`⚠ ${unsafe.length} statement(s) break a rollback to ${olderSlot} while both slots share one database:`, ...unsafe.map((l) => `  ${l}`));
  return lines;
}
