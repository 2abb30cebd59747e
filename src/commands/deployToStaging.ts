import { deployToStaging as deployToStagingWorkflow } from '../core/workflows/deployToStaging';
import { Deps } from '../ui/deps';
import { DEPLOY_TO_STAGING, PROMOTE_TO_STANDBY } from '../ui/nextSteps';
import { runOperation } from '../ui/operations';

/** Deploy staging's branch tip to the app's staging servers; passed offers Promote to STANDBY. Production is not touched. */
export async function deployToStaging(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Deploy to staging', arg, async (ctx) => {
    const result = await deployToStagingWorkflow(ctx);
    deps.stagingNews.told(ctx.app.name, result.entry);
    return { summary: result.summary, next: result.passed ? [PROMOTE_TO_STANDBY] : [DEPLOY_TO_STAGING], warning: !result.passed };
  });
}
