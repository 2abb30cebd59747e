import { reconcile as reconcileWorkflow } from '../core/workflows/reconcile';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function reconcile(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Reconcile state file', arg, async (ctx) => {
    const r = await reconcileWorkflow(ctx);
    return r.changed ? `The state file now says ${r.live.toUpperCase()} is LIVE, as HAProxy routes.` : `The state file already agrees with HAProxy (${r.live.toUpperCase()} LIVE).`;
  });
}
