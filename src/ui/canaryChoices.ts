import { SlotName } from '../core/config/types';
import { slotLabel } from '../core/status/snapshot';

/** What Canary… offers while a canary runs: change its share, promote it, or end it. */
export type CanaryChoice = 'change' | 'promote' | 'end';

export interface CanaryChoiceItem {
  choice: CanaryChoice;
  label: string;
  description: string;
}

/** The quick pick's rows for a running canary, the gentlest first (the pick opens on the first). */
export function canaryChoices(running: { percent: number }, live: SlotName, standby: SlotName): CanaryChoiceItem[] {
  return [
    { choice: 'change', label: '$(edit) Change the share', description: `now ${running.percent}% of the clients go to ${slotLabel(standby)}` },
    { choice: 'promote', label: '$(rocket) Promote', description: `release: every client to ${slotLabel(standby)}` },
    { choice: 'end', label: '$(close) End the canary', description: `every client back to ${slotLabel(live)}` },
  ];
}
