import { approvalBinding, stillAsApproved } from './parts/approved';
import { otherSlot } from '../config/types';
import { errorMessage } from '../errors';
import { canaryKeyText, parseCanaryKey } from '../haproxy/canary';
import { overridden, preflight } from '../plan/preflight';
import { canaryConfirmation } from '../plan/render';
import { Intent, UnsafeMigrationPolicy } from '../plan/types';
import { stateWithCanary, rawFields } from '../state/stateFile';
import { snapshotApp } from '../status/refresh';
import { liveUnchanged, slotSummary } from '../status/describe';
import { canaryRule } from './parts/canaryRule';
import { enforce } from './parts/enforce';
import { applyEach, readUnderLocks } from './parts/lbChange';
import { writeStateFile } from './parts/lbFiles';
import { lockEach, releaseEach } from './parts/lbLocks';
import { readStagingEvidence } from './parts/stagingEvidence';
import { readMigrations } from './parts/migrationGate';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';
import { announcing, Announcements } from '../notify/announce';
import { sides } from '../notify/event';

export interface CanaryOptions {
  /** 1–99: the share of the app's clients sent to STANDBY. Ignored with `end`. */
  percent?: number;
  /** Remove the canary rule: every client back on LIVE. */
  end?: boolean;
  unsafeMigrations?: UnsafeMigrationPolicy;
}

/** The share a canary may send to STANDBY: 1–99 (0 is no canary, 100 a release). */
export function validateCanaryPercent(percent: unknown): number {
  if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 1 || percent > 99) {
    throw new WorkflowError('refused', 'Canary', undefined, `a canary sends 1 to 99 percent of the clients to STANDBY; ${JSON.stringify(percent)} is not that (to move everyone, release; to stop, end the canary)`, 'Nothing was changed.');
  }
  return percent;
}

/**
 * Sends a share of the app's clients to STANDBY (sticky per client) by one HAProxy rule for
 * this app only, or ends it: validated, atomically replaced, reloaded and checked through the
 * frontend like a switch, every other byte of the config unchanged, and recorded.
 */
export async function canary(given: OperationContext, o: CanaryOptions): Promise<{ summary: string }> {
  const ctx = steady(given);
  return announcing(ctx, (announcements) => canaryUnderLocks(ctx, o, announcements));
}

async function canaryUnderLocks(ctx: OperationContext, o: CanaryOptions, announcements: Announcements): Promise<{ summary: string }> {
  const { app } = ctx;
  const lb = app.loadBalancer;
  const title = o.end ? 'End the canary' : 'Canary';
  const percent = o.end ? 0 : validateCanaryPercent(o.percent);
  const several = app.loadBalancers.length > 1;
  // A pair gets the rule on each, under every LB's lock, changed together or not at all.
  const lbs = await lockEach(ctx, o.end ? 'end the canary' : `canary ${percent}%`, 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, app, ctx.signal));
    const unchanged = liveUnchanged(before);
    const intent: Intent = { kind: o.end ? 'end-canary' : 'canary', percent, unsafeMigrations: o.unsafeMigrations };
    enforce(preflight(before, app, intent), title, unchanged);
    const live = before.live!;
    const standby = otherSlot(live);
    const to = before.slots[standby];
    // As a release's dialog: what staging holds of the commit the share goes to.
    const staging = !o.end && to.commit ? await readStagingEvidence(ctx.runner, app, to.commit, ctx.signal) : undefined;
    const plan = preflight(before, app, intent, o.end ? undefined : { migrations: await readMigrations(ctx, { repoSlot: standby, from: before.slots[live], to }), staging });
    enforce(plan, title, unchanged);
    const overrode = overridden(plan);
    const key = parseCanaryKey(lb.canaryBy);
    const binding = approvalBinding(plan, app);
    const answer = await ctx.confirm.confirm({ ...canaryConfirmation(plan, app), binding });
    if (!answer.ok) throw new WorkflowError('declined', title, undefined, 'not confirmed', unchanged);
    await stillAsApproved(ctx, binding, title, () => unchanged);

    const change = canaryRule(plan, { key, percent, several });
    await readUnderLocks(lbs, plan, change, title, () => unchanged);
    await applyEach(lbs, plan, change, title, () => unchanged);

    const at = new Date().toISOString();
    let recorded = true;
    for (const s of lbs) {
      const state = stateWithCanary(rawFields(s.now!.state), o.end ? undefined : { slot: standby, percent, key: canaryKeyText(key), since: at, by: ctx.who }, live, ctx.who, at);
      if (overrode) (state.history as Record<string, unknown>[]).at(-1)!.overrode = overrode;
      await writeStateFile(s.ctx, `Record the canary in the state file${several ? ` on ${s.ctx.app.loadBalancer.ssh}` : ''}`, s.now!.state, state, () => '').catch((e: unknown) => {
        recorded = false;
        ctx.reporter.warn(errorMessage(e));
      });
    }
    const [liveSlot, standbySlot] = [before.slots[live], to];
    announcements.send(
      o.end
        ? { event: 'canary-ended', from: standby, to: live, versions: sides(standbySlot.version, liveSlot.version), commits: sides(standbySlot.commit, liveSlot.commit), who: ctx.who, approvedVia: answer.via }
        : { event: 'canary-started', from: live, to: standby, versions: sides(liveSlot.version, standbySlot.version), commits: sides(liveSlot.commit, standbySlot.commit), who: ctx.who, approvedVia: answer.via, percent },
    );
    const summary = o.end
      ? `The canary ended: every client of ${app.name} goes to LIVE ${slotSummary(before.slots[live])} again.`
      : `${percent}% of ${app.name}'s clients go to ${slotSummary(to)}, the rest to LIVE ${slotSummary(before.slots[live])}; release to promote, or end the canary.`;
    ctx.reporter.info(summary);
    return { summary: `${summary}${recorded ? '' : ' The state file was NOT updated: reconcile it.'}` };
  } finally {
    await releaseEach(lbs);
  }
}
