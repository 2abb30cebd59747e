import { isBlueGreenError } from '../core/errors';
import { WorkflowError } from '../core/workflows/parts/operation';

/** An action a result notification offers: its button, and the command it runs on the same app. */
export interface NextStep {
  title: string;
  command: string;
  /** Arguments after the app (the canary's share). */
  args?: unknown[];
}

export const RELEASE: NextStep = { title: 'Release…', command: 'bluegreen.release' };
export const SYNC: NextStep = { title: 'Sync STANDBY', command: 'bluegreen.sync' };
export const ROLL_BACK: NextStep = { title: 'Roll Back', command: 'bluegreen.rollback' };
export const PROMOTE_CANARY: NextStep = { title: 'Promote', command: 'bluegreen.release' };
export const PROMOTE_TO_STANDBY: NextStep = { title: 'Promote to STANDBY', command: 'bluegreen.promote' };
export const DEPLOY_TO_STAGING: NextStep = { title: 'Deploy to Staging', command: 'bluegreen.deployToStaging' };
const SKIP_STAGING: NextStep = { title: 'Skip Staging…', command: 'bluegreen.deploySkippingStaging' };
export const END_CANARY: NextStep = { title: 'End Canary', command: 'bluegreen.canary', args: [0] };
const REDEPLOY: NextStep = { title: 'Redeploy STANDBY', command: 'bluegreen.deploy' };
const RECONCILE: NextStep = { title: 'Reconcile', command: 'bluegreen.reconcile' };
const CHECK_LB: NextStep = { title: 'Check Setup', command: 'bluegreen.checkLoadBalancer' };
const RESUME_WATCH: NextStep = { title: 'Resume Watch', command: 'bluegreen.resumeWatch' };

/** What fixes a refusal, by the gate that refused (src/core/plan/gates.ts). */
const AFTER_REFUSAL: Record<string, NextStep[]> = {
  'standby-health': [REDEPLOY],
  smoke: [REDEPLOY],
  'servers-disagree': [REDEPLOY],
  'not-newer': [REDEPLOY],
  'state-drift': [RECONCILE],
  drift: [RECONCILE],
  'config-not-loaded': [CHECK_LB],
  'idle-close': [CHECK_LB],
  'watch-running': [RESUME_WATCH],
  // The promotion gate: test it on staging, promote what staging passed, or go past it with a reason.
  'staging-passed': [DEPLOY_TO_STAGING, PROMOTE_TO_STANDBY, SKIP_STAGING],
};

/** The actions a failure offers: a refusal's fix when its gate has one (not the operation that refused); nothing else guesses. */
export function nextStepsAfterFailure(e: unknown): NextStep[] {
  if (!(isBlueGreenError(e, 'refused') && e instanceof WorkflowError && e.gate)) return [];
  return (AFTER_REFUSAL[e.gate] ?? []).filter((n) => n.title !== e.step);
}
