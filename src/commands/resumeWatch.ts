import { resumeWatch as resumeWatchWorkflow } from '../core/workflows/watch';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function resumeWatch(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Resume watch', arg, async (ctx) => (await resumeWatchWorkflow(ctx)).summary);
}
