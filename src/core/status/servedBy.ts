import { ReportedIdentity, SlotSnapshot } from './snapshot';

/** Which slot's backend served one request through the frontend, and how that is known. */
export type Served =
  | { by: 'new'; how: 'body' | 'counters' }
  | { by: 'old'; how: 'body' | 'counters' }
  | { by: 'neither'; how: 'body' | 'counters'; detail: string }
  /** `settling`: asking again soon may tell (a reload between the two counts). */
  | { by: 'unknown'; detail: string; settling?: boolean };

const IDENTITY_KEYS = ['commit', 'environment', 'version'] as const;

/**
 * What the health body says about who sent it: the first identity field (commit, then
 * environment, then version) that the body carries and on which the two slots' own health
 * endpoints, asked directly, differ. Claims compared with claims: a slot that claims the
 * other's identity makes the two alike, which proves nothing (HAProxy's counters then tell).
 * A body without such a field (plain "OK", HAProxy's own error page, two slots on the
 * same commit and version without an environment) proves nothing either way.
 */
export function servedByBody(body: ReportedIdentity, target: SlotSnapshot, old: SlotSnapshot): Served {
  for (const key of IDENTITY_KEYS) {
    const [t, o, b] = [target.reported?.[key], old.reported?.[key], body[key]];
    if (!b || !t || !o || t === o) continue;
    if (b === t) return { by: 'new', how: 'body' };
    if (b === o) return { by: 'old', how: 'body' };
    return { by: 'neither', how: 'body', detail: `its ${key} "${b}" is neither slot's` };
  }
  const carried = IDENTITY_KEYS.filter((k) => body[k]);
  return { by: 'unknown', detail: carried.length ? `both slots report the same ${carried.join(', ')}` : 'the answer names no version, commit or environment' };
}
