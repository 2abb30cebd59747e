import { stopWatch as stopWatchWorkflow } from '../core/workflows/watch';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function stopWatch(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Stop watching', arg, async (ctx) => (await stopWatchWorkflow(ctx)).summary);
}
