import { SlotName } from '../../config/types';
import { errorMessage } from '../../errors';
import { checkMigrations, migrationLines } from '../../migrations/check';
import { MigrationReport } from '../../migrations/types';
import { Evidence } from '../../plan/types';
import { SlotSnapshot, slotLabel } from '../../status/snapshot';
import { slotSummary } from '../../status/describe';
import { localStep, OperationContext } from './operation';

export interface MigrationsBetween {
  /** The slot whose repository has both commits. */
  repoSlot: SlotName;
  /** The release the database must stay usable by (LIVE, the rollback target). */
  from: Pick<SlotSnapshot, 'name' | 'version' | 'commit'>;
  to: Pick<SlotSnapshot, 'name' | 'commit'>;
}

/**
 * The migrations between two commits, read from the slot's repository and said in the output:
 * the evidence the plan's migrations gate judges. Undefined when there is nothing to compare.
 */
export async function readMigrations(ctx: OperationContext, g: MigrationsBetween): Promise<Evidence['migrations']> {
  const globs = ctx.app.deploy.migrations;
  if (!globs.length || (g.from.commit && g.from.commit === g.to.commit)) return undefined;
  const host = ctx.app.slots[g.repoSlot].servers[0].ssh;
  if (!g.from.commit || !g.to.commit) return { lines: [`⚠ Migrations not checked: the commit ${slotLabel(g.from.commit ? g.to.name : g.from.name)} runs is unknown.`] };
  let report: MigrationReport;
  try {
    report = await localStep(ctx, `Check the migrations since ${slotLabel(g.from.name)}'s commit`, () =>
      checkMigrations({ runner: ctx.runner, app: ctx.app, repoSlot: g.repoSlot, from: g.from.commit!, to: g.to.commit!, workspace: ctx.workspace, signal: ctx.signal }),
    );
  } catch (e) {
    report = { checker: 'none', files: [], unavailable: errorMessage(e) };
  }
  const lines = migrationLines(report, slotSummary(g.from as SlotSnapshot));
  for (const line of lines) ctx.reporter.line(host, line, line.startsWith('⚠') || line.startsWith('  ') ? 'stderr' : 'stdout');
  return { report, lines };
}
