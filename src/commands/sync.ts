import { sync as syncWorkflow } from '../core/workflows/sync';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function sync(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Sync', arg, async (ctx) => {
    return (await syncWorkflow(ctx)).summary;
  });
}
