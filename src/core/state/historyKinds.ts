import { HistoryEntry } from './stateFile';

const SWITCH_KINDS = new Set(['release', 'rollback', 'auto-rollback']);

/**
 * A switch of traffic: one this tool recorded, or one the tools before it recorded (no kind,
 * from one slot to the other). Canaries, reconciles and skipped stagings are history, not switches.
 */
export function isSwitch(entry: HistoryEntry): boolean {
  if (entry.kind !== undefined) return SWITCH_KINDS.has(String(entry.kind));
  return typeof entry.from === 'string' && typeof entry.to === 'string' && entry.from !== entry.to;
}
