import { appViaEach } from '../config/appVia';
import { rawFields, stateReconciled } from '../state/stateFile';
import { snapshotApp } from '../status/refresh';
import { slotLabel } from '../status/snapshot';
import { otherSlot, SlotName } from '../config/types';
import { liveUnchanged } from '../status/describe';
import { readLbFiles, writeStateFile } from './parts/lbFiles';
import { acquireLock } from './parts/lock';
import { enforce } from './parts/enforce';
import { preflight } from '../plan/preflight';
import { localStep, OperationContext, WorkflowError } from './parts/operation';

/**
 * Rewrites the state file to agree with HAProxy's config (which wins), after a
 * confirmation; the old file is kept beside it. Traffic is not touched.
 */
export interface ReconcileResult {
  live: SlotName;
  changed: boolean;
  summary: string;
}

/** Each load balancer's state file in turn, each agreeing with its own HAProxy. */
export async function reconcile(ctx: OperationContext): Promise<ReconcileResult> {
  const views = appViaEach(ctx.app);
  if (views.length === 1) return reconcileOne(ctx);
  const results: ReconcileResult[] = [];
  for (const app of views) results.push(await reconcileOne({ ...ctx, app }));
  return { live: results[0].live, changed: results.some((r) => r.changed), summary: results.map((r, i) => `${views[i].loadBalancer.ssh}: ${r.summary}`).join(' ') };
}

async function reconcileOne(ctx: OperationContext): Promise<ReconcileResult> {
  const { app } = ctx;
  const lock = await acquireLock(ctx, 'reconcile', 'Nothing was changed.');
  try {
    const snap = await localStep(ctx, 'Read HAProxy and the state file', () => snapshotApp(ctx.runner, app, ctx.signal));
    enforce(preflight(snap, app, { kind: 'reconcile' }), 'Reconcile', 'Nothing was changed.');
    const live = snap.live!;
    // The snapshot, taken under the lock, has the state file parsed as the status shows it.
    const recorded = snap.lb.state;
    if (recorded.status === 'ok' && recorded.live === live && recorded.standby === otherSlot(live)) {
      const summary = `The state file already agrees with HAProxy: ${slotLabel(live)} is LIVE.`;
      ctx.reporter.info(summary);
      return { live, changed: false, summary };
    }
    const file = app.loadBalancer.stateFile;
    const says = recorded.status === 'ok' ? `says ${slotLabel(recorded.live!)} is LIVE` : recorded.status === 'missing' ? 'does not exist' : `cannot be read (${recorded.error ?? 'unknown'})`;
    const answer = await ctx.confirm.confirm({
      title: `Rewrite the state file to say ${slotLabel(live)} is LIVE?`,
      detail: `HAProxy routes ${app.loadBalancer.frontend}${app.loadBalancer.acl ? ` (${app.loadBalancer.acl})` : ''} to ${snap.lb.backend}, so ${slotLabel(live)} is LIVE. The state file ${file} ${says}.\nTraffic is not touched. The current file is kept as ${file}.bluegreen-before-reconcile.`,
      action: 'Rewrite State File',
    });
    if (!answer.ok) throw new WorkflowError('declined', 'Reconcile', undefined, 'not confirmed', 'Nothing was changed.');
    // The file's own fields, read now, byte for byte, so the rewrite keeps the unknown ones.
    const read = (await readLbFiles(ctx, liveUnchanged(snap))).state;
    const next = stateReconciled(rawFields(read), live, recorded.live, ctx.who, new Date().toISOString());
    await writeStateFile(ctx, 'Rewrite the state file', read, next, () => `Traffic was not touched: LIVE is ${slotLabel(live)}. The state file may be unchanged.`, `${file}.bluegreen-before-reconcile`);
    const summary = `The state file now says ${slotLabel(live)} is LIVE, as HAProxy routes; traffic was not touched.`;
    ctx.reporter.info(summary);
    return { live, changed: true, summary };
  } finally {
    await lock.release();
  }
}
