// The one way a change reaches the load balancers of an app: each LB's config read under its
// lock and the plan's config gates judged again on it, then each edited, replaced, reloaded and
// checked through its own frontend in turn, every one already changed put back when a later one
// fails. The switch, the canary and the emergency release hand it a pure edit and nothing else.
import { AppConfig, LoadBalancerConfig, SlotName } from '../../config/types';
import { errorMessage } from '../../errors';
import { findRouting } from '../../haproxy/config';
import { strayRoutes } from '../../haproxy/strayRoutes';
import { preflight, refusalOf } from '../../plan/preflight';
import { Plan } from '../../plan/types';
import { LoadBalancerSnapshot } from '../../status/snapshot';
import { LbSwitch } from './lbLocks';
import { readLbFiles } from './lbFiles';
import { currentWorker } from './reloaded';
import { throwIfCancelled, WorkflowError } from './operation';
import { PutBack } from './putBack';
import { replaceConfig } from './replaceConfig';
import { Verified } from './verify';

/** One change to haproxy.cfg as an operation describes it: a pure edit, and how to tell it took. */
export interface LbChange {
  /** The step that replaces the config and reloads, on one LB. */
  title(lb: LoadBalancerConfig): string;
  /** The config as it is now → the config wanted; undefined leaves this LB as it is (it has the change already). */
  edit(config: string, app: AppConfig): string | undefined;
  /** What the output says of an LB left as it is. */
  alreadyNote(lb: LoadBalancerConfig): string;
  /** An LB already routing here is not "LIVE changed since you confirmed" (an emergency putting a split pair together). */
  alsoAccepts?: SlotName;
  /** Checked on each LB's config under its lock, after the plan's gates: why it must not go ahead. */
  refuse?(config: string, app: AppConfig): string | undefined;
  /** The check through one LB's frontend once the change is loaded (the failing step's title with it). */
  verify(lb: LbTarget, reloadedSince: ReloadMark): Promise<Verified>;
  verifyTitle: string;
  /** The check needs HAProxy's worker from before the change (asked of the master CLI first). */
  marksWorker?: boolean;
  /** The slot traffic is on after a put back, and what to say when one fails. */
  back: SlotName;
  ifRestoreFails(host: string): string;
  /** The state once a reload failed and the script put the previous config back. */
  afterFailedReload(lb: LoadBalancerConfig): string;
  /**
   * A Cancel while the LBs are being changed puts back every one changed so far (a switch). Without
   * it the change, once confirmed, is finished: undoing it is not what a Cancel of it wants.
   */
  cancelUndoes?: boolean;
  /** How the output names it ("switch") and what was done to the LBs before a failed one ("switched"). */
  noun: string;
  verb: string;
}

/** One LB as a change reaches it: the app seen through it, and its files as last read. */
export type LbTarget = Pick<LbSwitch, 'ctx' | 'now'>;

/** When the replacement began and HAProxy's worker then, for a check that waits for the reloaded process. */
export interface ReloadMark {
  at: number;
  worker?: number;
}

/**
 * Reads every LB's config and state under its lock and judges the plan's gates again on what
 * HAProxy's config says now (its routing, what splits it), before any LB is changed: a pair is
 * changed whole or not at all, and only as the person confirmed.
 */
export async function readUnderLocks(lbs: LbSwitch[], plan: Plan, change: LbChange, title: string, unchanged: () => string): Promise<void> {
  const before = plan.snapshot;
  for (const [i, s] of lbs.entries()) {
    const { app } = s.ctx;
    const lb = app.loadBalancer;
    s.now = await readLbFiles(s.ctx, unchanged());
    const asRead = lbAsRead(before.lbs[i] ?? before.lb, s.now.config, app);
    const lbsNow = before.lbs.map((l, j) => (j === i ? asRead : l));
    const again = refusalOf(preflight({ ...before, lb: lbsNow[0], lbs: lbsNow }, app, plan.intent));
    if (again) throw new WorkflowError('refused', title, lb.ssh, again.sentence, 'Nothing was changed.');
    if (asRead.routesTo !== plan.live && !(lbs.length > 1 && change.alsoAccepts && asRead.routesTo === change.alsoAccepts)) {
      throw new WorkflowError('refused', title, lb.ssh, `LIVE changed since you confirmed (HAProxy now routes to ${asRead.backend ?? 'neither slot'}); nothing was changed`, 'Check the status and try again.');
    }
    if (!s.lock.held) throw new WorkflowError('connection-lost', title, lb.ssh, 'the lock on the LB host was lost', unchanged());
    const refusal = change.refuse?.(s.now.config, app);
    if (refusal) throw new WorkflowError('refused', title, lb.ssh, refusal, unchanged());
  }
  throwIfCancelled(lbs[0].ctx, unchanged());
}

/** The LB as its config reads now: the routing line and whatever else sends traffic to a slot. */
function lbAsRead(seen: LoadBalancerSnapshot, config: string, app: AppConfig): LoadBalancerSnapshot {
  const lb = app.loadBalancer;
  const routing = findRouting(config, lb.frontend, lb.acl);
  const routesTo = routing.backend === app.slots.blue.backend ? 'blue' : routing.backend === app.slots.green.backend ? 'green' : undefined;
  const stray = strayRoutes(config, lb.frontend, lb.acl, [app.slots.blue.backend, app.slots.green.backend], app.name);
  return { ...seen, host: lb.ssh, reachable: true, error: undefined, backend: routing.backend, routesTo, routingLine: routing.line + 1, strayRoutes: stray.length ? stray : undefined };
}

/**
 * Changes the LBs one after another, each checked through its own frontend before the next. If
 * one fails (validation, reload, its check, Cancel), that one is restored by its own step and
 * every one changed before it is put back, so they never stay split. Returns the first check.
 */
export async function applyEach(lbs: readonly LbSwitch[], plan: Plan, change: LbChange, title: string, unchanged: () => string): Promise<Verified & { ok: true }> {
  const changed = new PutBack(lbs.length > 1, plan.snapshot, change.back, change.ifRestoreFails);
  let first: (Verified & { ok: true }) | undefined;
  for (const s of lbs) {
    const lb = s.ctx.app.loadBalancer;
    let verified: Verified | undefined;
    try {
      // From the moment it is replaced this LB has the change: every way out restores it.
      verified = await changeOne(s, change, unchanged, () => changed.add(s));
    } catch (e) {
      if (!changed.includes(s)) await changed.rethrow(e, change.verb);
      throw new WorkflowError('step-failed', title, lb.ssh, `unexpected error after the ${change.noun}: ${errorMessage(e)}`, `The previous config was restored and reloaded: ${await changed.undo()}`, [], { cause: e });
    }
    if (!verified) continue;
    if (!verified.ok) throw new WorkflowError('step-failed', change.verifyTitle, lb.ssh, verified.why, `The previous config was restored and reloaded: ${await changed.undo()}`);
    first ??= verified;
    if (change.cancelUndoes && s.ctx.signal?.aborted) throw new WorkflowError('aborted', title, lb.ssh, `cancelled during the ${change.noun}`, `The ${change.noun} was made, then undone: the previous config was restored and reloaded: ${await changed.undo()}`);
  }
  return first ?? { ok: true, healthy: true };
}

/**
 * One LB: the edit of its config as last read, replaced and reloaded (`replaced` is told the
 * moment it is), then checked through its frontend. Undefined when it has the change already.
 * A switch back (the watch's) calls it alone: putting back a switch back would undo it.
 */
export async function changeOne(s: LbTarget, change: LbChange, unchanged: () => string, replaced: () => void = () => undefined): Promise<Verified | undefined> {
  const lb = s.ctx.app.loadBalancer;
  const next = change.edit(s.now!.config, s.ctx.app);
  if (next === undefined) {
    s.ctx.reporter.info(change.alreadyNote(lb));
    return undefined;
  }
  const mark = { worker: change.marksWorker ? await currentWorker(s.ctx) : undefined, at: Date.now() };
  await replaceConfig(s.ctx, change.title(lb), s.now!.configSha256, next, unchanged, change.afterFailedReload(lb));
  replaced();
  // Not cut short by Cancel: nothing is put back before HAProxy is seen serving the change,
  // so an undo never races the reload it undoes.
  return change.verify({ ...s, ctx: { ...s.ctx, signal: undefined } }, mark);
}
