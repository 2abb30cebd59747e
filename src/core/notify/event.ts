import { NotifyEventName } from '../config/types';

/** What a webhook is told: one event's facts, the unknown ones left out. */
export interface NotifyEvent {
  event: NotifyEventName;
  app: string;
  /** A slot (`blue`, `green`) for a switch or a canary; `staging` is `to` of a staging deploy. */
  from?: string;
  to?: string;
  versions?: { from?: string; to?: string };
  commits?: { from?: string; to?: string };
  /** `user@machine`, as the history records it. */
  who: string;
  /** How the person said yes (dialog, terminal, --yes, elicitation). */
  approvedVia?: string;
  reason?: string;
  /** A canary's share of clients on STANDBY. */
  percent?: number;
  /** A failed staging deploy's step and what it said. */
  failedStep?: string;
  detail?: string;
  /** ISO 8601, when the outcome was final. */
  time: string;
}

/** The event in one sentence a person reads in a chat channel. */
export function eventSentence(e: NotifyEvent): string {
  const [from, to] = [named(e, 'from'), named(e, 'to')];
  const tail = ` (${[e.app, e.commits?.to?.slice(0, 7), `by ${e.who}`].filter(Boolean).join(', ')})`;
  const why = e.reason ? ` — reason: ${e.reason}` : '';
  switch (e.event) {
    case 'staging-passed':
      return `${release(e, 'to')} passed staging — ready for production${tail}`;
    case 'staging-failed':
      return `${release(e, 'to')} failed staging${e.failedStep ? ` at ${e.failedStep}` : ''}${e.detail ? ` (${e.detail})` : ''} — not ready for production${tail}`;
    case 'release':
      return `${to} is LIVE, replacing ${from}${tail}`;
    case 'emergency-release':
      return `Emergency release: ${to} is LIVE without the health gate, replacing ${from}${why}${tail}`;
    case 'rollback':
      return `Rolled back: ${to} is LIVE again, replacing ${from}${tail}`;
    case 'switch-back':
      return `${from} failed after the release; traffic was switched back to ${to} automatically${why}${tail}`;
    case 'canary-started':
      return `Canary: ${e.percent ?? '?'}% of the clients go to ${to}, the rest to ${from}${tail}`;
    case 'canary-ended':
      return `The canary ended: every client goes to ${to} again${tail}`;
  }
}

/** `v1.3.0`, else the short commit, else `an unknown version`. */
function release(e: NotifyEvent, side: 'from' | 'to'): string {
  const version = e.versions?.[side];
  const commit = e.commits?.[side]?.slice(0, 7);
  return version ? `v${version}` : commit ?? 'an unknown version';
}

/** `v1.3.0 on GREEN`. */
function named(e: NotifyEvent, side: 'from' | 'to'): string {
  const slot = e[side];
  return slot ? `${release(e, side)} on ${slot.toUpperCase()}` : release(e, side);
}

/** `{from, to}` with only the known sides, or nothing when neither is known (the body leaves it out). */
export function sides(from: string | undefined, to: string | undefined): { from?: string; to?: string } | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
