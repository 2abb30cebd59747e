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
export const PROMOTE: NextStep = { title: 'Promote', command: 'bluegreen.release' };
export const END_CANARY: NextStep = { title: 'End Canary', command: 'bluegreen.canary', args: [0] };
const REDEPLOY: NextStep = { title: 'Redeploy STANDBY', command: 'bluegreen.deploy' };
const RECONCILE: NextStep = { title: 'Reconcile', command: 'bluegreen.reconcile' };
const CHECK_LB: NextStep = { title: 'Check Load Balancer', command: 'bluegreen.checkLoadBalancer' };
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
};

/** The actions a failure offers: a refusal's fix when its gate has one; nothing else guesses. */
export function nextStepsAfterFailure(e: unknown): NextStep[] {
  return isBlueGreenError(e, 'refused') && e instanceof WorkflowError && e.gate ? (AFTER_REFUSAL[e.gate] ?? []) : [];
}
