import { otherSlot, SlotName } from '../config/types';

export interface HistoryEntry {
  timestamp?: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

/**
 * The LB state file as the tools before us wrote it. Both shapes seen in use are read:
 * `{prod, live, standby, lastSwitch, switchCount}` and `{prod, standby, …, history}`.
 */
export interface DeploymentState {
  live?: SlotName;
  standby?: SlotName;
  lastSwitch?: string;
  switchCount?: number;
  history: HistoryEntry[];
  /** Every field as read, so a rewrite keeps the ones we do not know. */
  raw: Record<string, unknown>;
}

export type StateRead = { kind: 'ok'; state: DeploymentState } | { kind: 'missing' } | { kind: 'corrupt'; error: string };

function slotName(v: unknown): SlotName | undefined {
  const s = typeof v === 'string' ? v.toLowerCase() : undefined;
  return s === 'blue' || s === 'green' ? s : undefined;
}

export function parseState(text: string): StateRead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { kind: 'corrupt', error: `not JSON: ${(e as Error).message}` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'corrupt', error: 'not a JSON object' };
  const r = raw as Record<string, unknown>;
  // `live` is the newer key; `prod` the older one that both shapes carry.
  const live = slotName(r.live) ?? slotName(r.prod);
  if (!live) return { kind: 'corrupt', error: 'names no LIVE slot ("live" or "prod" must be "blue" or "green")' };
  const standby = slotName(r.standby) ?? otherSlot(live);
  return {
    kind: 'ok',
    state: {
      live,
      standby,
      lastSwitch: typeof r.lastSwitch === 'string' ? r.lastSwitch : undefined,
      switchCount: typeof r.switchCount === 'number' ? r.switchCount : undefined,
      history: Array.isArray(r.history) ? (r.history.filter((h) => h && typeof h === 'object') as HistoryEntry[]) : [],
      raw: r,
    },
  };
}
