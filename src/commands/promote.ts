import { promote as promoteWorkflow } from '../core/workflows/promote';
import { Deps } from '../ui/deps';
import { RELEASE } from '../ui/nextSteps';
import { runOperation } from '../ui/operations';

/** Deploy to STANDBY exactly the commit staging last passed; refused (with what to do) when it did not pass. */
export async function promote(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Promote to STANDBY', arg, async (ctx) => (await promoteWorkflow(ctx)).summary, [RELEASE]);
}
