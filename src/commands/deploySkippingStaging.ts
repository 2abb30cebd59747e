import { deploy as deployWorkflow } from '../core/workflows/deploy';
import { Deps } from '../ui/deps';
import { RELEASE } from '../ui/nextSteps';
import { runOperation } from '../ui/operations';

/**
 * Deploy to STANDBY past the promotion gate (staging.required): the dialog says what staging
 * holds of the commit and asks a reason, which is recorded in the history before STANDBY changes.
 */
export async function deploySkippingStaging(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Deploy skipping staging', arg, async (ctx, target) => (await deployWorkflow(ctx, { target: target?.slot, skipStaging: true })).summary, [RELEASE]);
}
