import { serverHost } from '../config/hostRefs';
import { ConfirmPort } from '../plan/confirm';
import { STAGING_DEPLOY_ACTION } from '../plan/render';
import { stagingFiles, stagingFromRead, stagingReadScript } from '../state/stagingRecord';
import { BlueGreenError } from '../errors';
import { deployToStaging } from './deployToStaging';
import { readBranchTip } from './parts/branchTip';
import { LastRun } from './parts/followDecision';
import { FollowEvent, followLoop, FollowOutcome, FollowPorts } from './followLoop';
import { OperationContext, steady, WorkflowError } from './parts/operation';

export type { FollowEvent, FollowOutcome } from './followLoop';

const OPERATION = 'Follow the staging branch';

export interface FollowStagingOptions {
  /** Between checks of the branch (and between reads of it while a deploy runs). */
  intervalMs: number;
  /** One check (and its deploy, when the branch moved), then return: for a CI job or a cron line. */
  once?: boolean;
  onEvent?(e: FollowEvent): void;
}

/**
 * Staging follows its branch: the tip is read with `git ls-remote` on the first staging server
 * every interval and deployed to staging (deployToStaging, with the exact commit) when staging
 * does not run it yet. One deploy at a time; tips that arrive during one are skipped to the
 * newest; a tip that failed is not retried until the branch moves. Ends when ctx.signal aborts
 * (or after one check with `once`); no failure ends it.
 *
 * Starting it is the person's yes to each of these deploys, and to nothing else: it answers
 * only the deploy-to-staging question (no migrations are asked for), which moves no traffic.
 */
export async function followStaging(given: OperationContext, o: FollowStagingOptions): Promise<FollowOutcome> {
  const ctx = steady(given);
  const { app } = ctx;
  const staging = app.staging;
  if (!staging) throw new WorkflowError('refused', OPERATION, undefined, `${app.name} has no staging: in bluegreen.yaml`, 'Nothing was changed.');
  if (!(o.intervalMs > 0)) throw new WorkflowError('refused', OPERATION, undefined, `the interval must be more than 0 ms, not ${o.intervalMs}`, 'Nothing was changed.');
  const first = staging.servers[0];
  const following = followingConfirm(staging.branch);
  const ports: FollowPorts = {
    readTip: (signal) => readBranchTip(ctx.runner, app, signal),
    async readLastRun(): Promise<LastRun | undefined> {
      const r = await ctx.runner.run(serverHost(first), stagingReadScript(stagingFiles(first.dir, app.name).record), { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
      const read = stagingFromRead(r.code, r.stdout);
      if (read.kind === 'unreadable') {
        // A deploy starts the record again (keeping this one beside it), so following is not stuck on it.
        ctx.reporter.warn(`Staging's record on ${first.name} cannot be read (${read.error}); the next deploy starts it again.`);
        return undefined;
      }
      const [last] = read.kind === 'ok' ? read.record.history : [];
      return last && { commit: last.commit, passed: last.passed, ...(last.cancelled ? { cancelled: true } : {}) };
    },
    deploy: (commit) => deployToStaging({ ...ctx, confirm: following }, { ref: commit }),
  };
  ctx.reporter.info(`Following ${staging.branch} on ${app.deploy.remote} for ${app.name}'s staging (${first.name})${o.once ? ': one check' : `, every ${Math.round(o.intervalMs / 1000)} s`}.`);
  return followLoop(ports, { intervalMs: o.intervalMs, once: o.once, onEvent: o.onEvent, signal: ctx.signal });
}

/** The yes that starting to follow gave: to a deploy to staging, and to no other question (a migration's, a switch's). */
export function followingConfirm(branch: string): ConfirmPort {
  return { confirm: async (request) => (request.action === STAGING_DEPLOY_ACTION && !request.typeToConfirm && !request.askReason ? { ok: true, via: `following ${branch}` } : { ok: false }) };
}

/** Where the branch is now, for a one-off look (`bluegreen staging`); throws when it cannot be read. */
export async function stagingBranchTip(ctx: OperationContext): Promise<string> {
  if (!ctx.app.staging) throw new BlueGreenError('refused', `${ctx.app.name} has no staging: in bluegreen.yaml`);
  return readBranchTip(ctx.runner, ctx.app, ctx.signal);
}
