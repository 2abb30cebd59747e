import * as path from 'node:path';
import { BumpLevel, BumpPlan, commitTagPush, discardBump, planBump, writeBump } from '../git/bump';
import { preApproved } from '../plan/confirm';
import { deploy, DeployResult } from './deploy';
import { localStep, OperationContext, WorkflowError } from './parts/operation';

export interface BumpOptions {
  /** The app's repository, where package.json is. */
  workspace: string;
  level: BumpLevel;
  /** Shows the drafted notes before the question (the editor opens them, to be edited). */
  review?(plan: BumpPlan): Promise<void>;
  /** Just before the commit: the editor saves the notes as the person left them. */
  beforeCommit?(): Promise<void>;
}

export interface BumpResult {
  plan: BumpPlan;
  commit: string;
  deployed: DeployResult;
  summary: string;
}

/**
 * Bump: raise the version and draft the release notes, ask, then commit `Release vX.Y.Z`, tag,
 * push and deploy the tag to STANDBY. A "no", or a failure before the commit, puts the
 * workspace back as it was.
 */
export async function bump(ctx: OperationContext, o: BumpOptions): Promise<BumpResult> {
  // Refused before anything is written: after the push, the deploy's promotion gate would refuse the new tag.
  if (ctx.app.staging?.required) throw new WorkflowError('refused', 'Bump', undefined, `staging.required is set and a bump deploys its new tag straight to STANDBY, which staging has not tested. Deploy the tag to staging (bluegreen deploy --to staging --ref TAG), then promote it (bluegreen promote)`, 'Nothing was changed.', [], { gate: 'staging-passed' });
  const plan = await planBump(o.workspace, o.level, ctx.app.deploy.remote);
  await writeBump(plan);
  let committed = false;
  try {
    await o.review?.(plan);
    const answer = await ctx.confirm.confirm({
      title: `Release ${plan.tag} (${plan.from} → ${plan.to}) and deploy it to STANDBY?`,
      detail: [
        `${plan.commits.length} commit(s) since ${plan.previousTag ?? 'the start'}:`,
        ...plan.commits.slice(0, 20),
        `${path.relative(plan.workspace, plan.notesFile)} is drafted from them${o.review ? '; edit it now if you like, it is committed as it is when you continue' : ''}.`,
        `Then ${plan.tag} is committed, tagged, pushed to ${plan.remote} and deployed to STANDBY; LIVE is not touched.`,
      ].join('\n'),
      action: 'Release',
    });
    if (!answer.ok) throw new WorkflowError('declined', 'Bump', undefined, 'not confirmed', 'Nothing was changed.');
    await o.beforeCommit?.();
    const commit = await localStep(ctx, `Commit, tag and push ${plan.tag}`, () => commitTagPush(plan));
    committed = true;
    ctx.reporter.info(`${plan.tag} is ${commit.slice(0, 7)} on ${plan.remote}`);
    const deployed = await deploy({ ...ctx, confirm: preApproved() }, { ref: plan.tag, preview: false });
    return { plan, commit, deployed, summary: `Released ${plan.tag} (${commit.slice(0, 7)}): ${deployed.summary} Release it when you have tested it.` };
  } finally {
    if (!committed) await discardBump(plan);
  }
}
