import { reconcile as reconcileWorkflow } from '../core/workflows/reconcile';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function reconcile(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Reconcile state file', arg, async (ctx) => {
    return (await reconcileWorkflow(ctx)).summary;
  });
}
