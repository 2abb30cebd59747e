import { snapshotApp } from '../status/refresh';
import { slotLabel, slotList } from '../status/snapshot';
import { deploy, DeployResult, planOnStandby } from './deploy';
import { syncConfirmation } from '../plan/render';
import { liveUnchanged, slotSummary, standbyRuns, versionText } from '../status/describe';
import { preApproved } from '../plan/confirm';
import { acquireLock } from './parts/lock';
import { localStep, OperationContext, WorkflowError } from './parts/operation';

export interface SyncResult extends DeployResult {
  liveCommit: string;
  liveVersion?: string;
}

/** Brings STANDBY to LIVE's exact commit, then checks that both report the same version and commit. */
export async function sync(ctx: OperationContext): Promise<SyncResult> {
  const lock = await acquireLock(ctx, 'sync', 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Read LIVE', () => snapshotApp(ctx.runner, ctx.app, ctx.signal));
    // The live-commit gate too: a sync needs LIVE's commit to aim at.
    const plan = planOnStandby(before, ctx.app, { kind: 'sync' }, 'Sync');
    const live = plan.liveSlot!;
    const liveCommit = live.commit!;
    const answer = await ctx.confirm.confirm(syncConfirmation(plan));
    if (!answer.ok) throw new WorkflowError('declined', 'Sync', undefined, 'not confirmed', 'Nothing was changed.');
    ctx.reporter.info(`LIVE ${slotSummary(live)} runs ${liveCommit}; bringing STANDBY to the same commit`);
    const result = await deploy({ ...ctx, confirm: preApproved() }, { ref: liveCommit, lock, operation: 'Sync', preview: false });
    const after = await localStep(ctx, 'Compare both slots', () => snapshotApp(ctx.runner, ctx.app, ctx.signal));
    for (const s of slotList(after)) ctx.reporter.info(`${slotLabel(s.name)} (${s.role}): ${versionText(s.version)} at ${s.commit?.slice(0, 7) ?? '?'}${s.serversDisagree ? ` (${s.serversDisagree})` : ''}`);
    // Every server of both slots, not the slots' summaries: one server left behind is a difference.
    const servers = slotList(after).flatMap((s) => s.servers.map((server) => ({ slot: s.name, server })));
    const differ = servers.filter(({ server }) => server.commit !== liveCommit || server.version !== live.version);
    if (differ.length) {
      const what = differ.map(({ slot, server }) => `${slotLabel(slot)}${servers.length > 2 ? ` ${server.server}` : ''} ${versionText(server.version)} at ${server.commit?.slice(0, 7) ?? '?'}`).join(', ');
      throw new WorkflowError('step-failed', 'Compare both slots', undefined, `the slots still differ from LIVE's ${versionText(live.version)} at ${liveCommit.slice(0, 7)} (${what})`, liveUnchanged(before));
    }
    const summary = `${standbyRuns(result.slot, result.version, result.commit)}, LIVE's commit: both slots match. ${liveUnchanged(before)}`;
    ctx.reporter.info(summary);
    return { ...result, liveCommit, liveVersion: live.version, summary };
  } finally {
    await lock.release();
  }
}
