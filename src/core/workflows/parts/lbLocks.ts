// The locks of a change made on every load balancer of an app: the change pipeline (lbChange.ts)
// reads and changes each under its own, and the watch holds them all while it runs.
import { appViaEach } from '../../config/appVia';
import { LbFiles } from './lbFiles';
import { acquireLock, HeldLock } from './lock';
import { OperationContext } from './operation';

/** One load balancer of a switch: the app seen through it, its lock, and its files as read under the lock. */
export interface LbSwitch {
  ctx: OperationContext;
  lock: HeldLock;
  now?: LbFiles;
  /** It already routes to the new LIVE (an emergency release putting a split pair back together). */
  already?: boolean;
}

/**
 * Takes the lock on every load balancer of the app, one after another in config order (the
 * same order for every operation, so two never wait on each other), and gives them back if
 * one cannot be taken.
 */
export async function lockEach(ctx: OperationContext, operation: string, stateNow: string): Promise<LbSwitch[]> {
  const held: LbSwitch[] = [];
  try {
    for (const app of appViaEach(ctx.app)) {
      const lbCtx = { ...ctx, app };
      held.push({ ctx: lbCtx, lock: await acquireLock(lbCtx, operation, stateNow) });
    }
    return held;
  } catch (e) {
    await releaseEach(held);
    throw e;
  }
}

export async function releaseEach(held: readonly LbSwitch[]): Promise<void> {
  for (const h of [...held].reverse()) await h.lock.release();
}
