import { restart as restartWorkflow } from '../core/workflows/restart';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

/** Restart STANDBY: its process on every server, then the health wait; recorded. No user traffic reaches it. */
export function restartStandby(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Restart STANDBY', arg, async (ctx) => (await restartWorkflow(ctx, 'standby')).summary);
}

/** Restart LIVE…: only after the slot's name is typed and a reason given; one server at a time, each drained first. */
export function restartLive(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Restart LIVE', arg, async (ctx) => (await restartWorkflow(ctx, 'live')).summary);
}
