import { isSwitch } from '../state/historyKinds';
import { AppSnapshot } from './snapshot';

/** How far the walkthrough "Your first blue-green release" has come, from what is so rather than from what was clicked. */
export interface FirstReleaseProgress {
  /** An app's staging passed its last deploy (the step shows only when an app has a staging). */
  stagingPassed: boolean;
  deployDone: boolean;
  releaseDone: boolean;
  syncDone: boolean;
}

function released(app: AppSnapshot): boolean {
  return (app.lb.state.switchCount ?? 0) > 0 || app.lb.state.history.some(isSwitch);
}

/**
 * `deployedHere`: a deploy succeeded in this window. A release implies a deploy (of the slot
 * it switched to); a sync is done when both slots run the same commit after a release.
 */
export function firstReleaseProgress(apps: readonly AppSnapshot[], deployedHere: boolean): FirstReleaseProgress {
  const releasedApps = apps.filter(released);
  return {
    stagingPassed: apps.some((a) => a.staging?.last?.passed === true),
    deployDone: deployedHere || releasedApps.length > 0,
    releaseDone: releasedApps.length > 0,
    syncDone: releasedApps.some((a) => a.slots.blue.commit !== undefined && a.slots.blue.commit === a.slots.green.commit),
  };
}
