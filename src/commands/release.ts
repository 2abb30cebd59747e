import * as vscode from 'vscode';
import { FIX_FIRST_CHOSEN, release as releaseWorkflow, ReleaseOptions } from '../core/workflows/release';
import { WorkflowError } from '../core/workflows/parts/operation';
import { Deps } from '../ui/deps';
import { NextStep, ROLL_BACK, SYNC } from '../ui/nextSteps';
import { runOperation } from '../ui/operations';

function switchCommand(title: string, options: ReleaseOptions, next: NextStep[]) {
  return async (deps: Deps, arg?: unknown): Promise<boolean> => {
    let fixFirst = false;
    const ok = await runOperation(deps, title, arg, async (ctx) => {
      try {
        return (await releaseWorkflow(ctx, options)).summary;
      } catch (e) {
        if (!(e instanceof WorkflowError && e.detail === FIX_FIRST_CHOSEN)) throw e;
        fixFirst = true;
        return `Nothing was switched: the load balancer is checked first. ${e.stateNow}`;
      }
    }, fixFirst ? [] : next);
    // After the release's lock is given back: the doctor takes its own. The person releases again after.
    if (!fixFirst) return ok;
    await vscode.commands.executeCommand('bluegreen.checkLoadBalancer', arg);
    return false;
  };
}

// After a release, the old LIVE is brought to the new commit (Sync) or traffic goes back (Roll Back).
export const release = switchCommand('Release', { kind: 'release' }, [SYNC, ROLL_BACK]);
export const releaseEmergency = switchCommand('Emergency release', { kind: 'release', emergency: true }, [ROLL_BACK]);
export const rollback = switchCommand('Rollback', { kind: 'rollback' }, []);
// Reconcile's other direction: traffic back to the slot the state file records as LIVE.
export const routeBack = switchCommand('Route back', { kind: 'release', routeBack: true }, [ROLL_BACK]);
