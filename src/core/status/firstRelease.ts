import { HistoryEntry } from '../state/stateFile';
import { AppSnapshot } from './snapshot';

/** How far the walkthrough "Your first blue-green release" has come, from what is so rather than from what was clicked. */
export interface FirstReleaseProgress {
  deployDone: boolean;
  releaseDone: boolean;
  syncDone: boolean;
}

const SWITCH_KINDS = new Set(['release', 'rollback', 'auto-rollback']);

/** A switch of traffic: one this tool recorded, or one the tools before it recorded (no kind, from one slot to the other). */
function isSwitch(entry: HistoryEntry): boolean {
  if (entry.kind !== undefined) return SWITCH_KINDS.has(String(entry.kind));
  return typeof entry.from === 'string' && typeof entry.to === 'string' && entry.from !== entry.to;
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
    deployDone: deployedHere || releasedApps.length > 0,
    releaseDone: releasedApps.length > 0,
    syncDone: releasedApps.some((a) => a.slots.blue.commit !== undefined && a.slots.blue.commit === a.slots.green.commit),
  };
}
