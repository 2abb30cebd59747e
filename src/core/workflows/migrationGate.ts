import { SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { checkMigrations, migrationLines, unsafeLine } from '../migrations/check';
import { MigrationReport, unsafeCount } from '../migrations/types';
import { SlotSnapshot, slotLabel } from '../status/snapshot';
import { slotSummary } from './describe';
import { localStep, OperationContext, WorkflowError } from './operation';

/**
 * What to do when migrations break a rollback: `ask` has the person type the slot's name
 * (dialogs), `refuse` stops (the CLI without --allow-unsafe-migrations), `allow` goes on; the
 * history records it either way.
 */
export type UnsafeMigrationPolicy = 'ask' | 'refuse' | 'allow';

export interface MigrationGate {
  /** For the confirmation's text. */
  lines: string[];
  /** Set when unsafe statements were found: what the history records as overridden. */
  overrode?: string;
  /** The person must type the slot's name to go ahead. */
  typeToConfirm: boolean;
  report?: MigrationReport;
}

export const NO_MIGRATION_GATE: MigrationGate = { lines: [], typeToConfirm: false };

export interface MigrationGateRequest {
  /** The operation, for a refusal. */
  title: string;
  /** The slot whose repository has both commits. */
  repoSlot: SlotName;
  /** The release the database must stay usable by (LIVE, the rollback target). */
  from: Pick<SlotSnapshot, 'name' | 'version' | 'commit'>;
  to: Pick<SlotSnapshot, 'name' | 'commit'>;
  policy?: UnsafeMigrationPolicy;
  /** The state now, for a refusal. */
  unchanged: string;
}

/** Lists the migrations between two commits, flags what breaks a rollback, and applies the policy. */
export async function migrationGate(ctx: OperationContext, g: MigrationGateRequest): Promise<MigrationGate> {
  const globs = ctx.app.deploy.migrations;
  if (!globs.length || (g.from.commit && g.from.commit === g.to.commit)) return NO_MIGRATION_GATE;
  const host = ctx.app.slots[g.repoSlot].servers[0].ssh;
  if (!g.from.commit || !g.to.commit) return { lines: [`⚠ Migrations not checked: the commit ${slotLabel(g.from.commit ? g.to.name : g.from.name)} runs is unknown.`], typeToConfirm: false };
  let report: MigrationReport;
  try {
    report = await localStep(ctx, `Check the migrations since ${slotLabel(g.from.name)}'s commit`, () =>
      checkMigrations({ runner: ctx.runner, app: ctx.app, repoSlot: g.repoSlot, from: g.from.commit!, to: g.to.commit!, workspace: ctx.workspace, signal: ctx.signal }),
    );
  } catch (e) {
    report = { checker: 'none', files: [], unavailable: errorMessage(e) };
  }
  const older = slotSummary(g.from as SlotSnapshot);
  const lines = migrationLines(report, older);
  for (const line of lines) ctx.reporter.line(host, line, line.startsWith('⚠') || line.startsWith('  ') ? 'stderr' : 'stdout');
  const count = unsafeCount(report);
  if (!count) return { lines, typeToConfirm: false, report };
  const unsafe = report.files.flatMap((f) => f.unsafe.map((u) => unsafeLine(f.path, u)));
  const overrode = `${count} migration statement(s) that break a rollback (${report.checker}): ${unsafe.join('; ')}`;
  if (g.policy === 'refuse') {
    throw new WorkflowError('refused', g.title, host, `the migrations between ${slotLabel(g.from.name)} and ${slotLabel(g.to.name)} break a rollback to ${older} while both share one database: ${unsafe.join('; ')}. Go ahead anyway with --allow-unsafe-migrations`, g.unchanged);
  }
  return { lines, overrode, typeToConfirm: g.policy !== 'allow', report };
}
