import { AppSnapshot, SlotSnapshot, slotLabel } from '../status/snapshot';

export function slotSummary(slot: SlotSnapshot | undefined): string {
  if (!slot) return 'unknown';
  return `${slotLabel(slot.name)} ${slot.version ? `v${slot.version.replace(/^v/, '')}` : '(version unknown)'}`;
}

/** "LIVE is unchanged: BLUE v1.1.0" — the sentence every failure ends with. */
export function liveUnchanged(app: AppSnapshot | undefined): string {
  const live = app?.slots.find((s) => s.role === 'LIVE');
  return live ? `LIVE is unchanged: ${slotSummary(live)}.` : 'Nothing was changed.';
}
