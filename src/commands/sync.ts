import { sync as syncWorkflow } from '../core/workflows/sync';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

export function sync(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Sync', arg, async (ctx) => {
    const r = await syncWorkflow(ctx);
    return `${r.slot.toUpperCase()} (STANDBY) now runs LIVE's commit ${r.commit.slice(0, 7)}${r.version ? ` (v${r.version})` : ''}.`;
  });
}
