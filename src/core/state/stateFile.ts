import { otherSlot, SlotName } from '../config/types';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { redact, Redacted } from '../redact';
import { shQuote } from '../shell';

export interface HistoryEntry {
  timestamp?: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

/**
 * A watch of the new LIVE that outlives the process that started it: recorded with the switch,
 * removed when the watch ends. A record whose `until` is still ahead while no process holds the
 * lock is a watch that was interrupted (the editor closed): any client can resume it.
 */
export interface WatchRecord {
  slot: SlotName;
  /** ISO time the watch ends. */
  until: string;
  since: string;
  by: Redacted;
}

/** A canary this tool set: a share of the app's clients sent to STANDBY by one HAProxy rule. */
export interface CanaryRecord {
  slot: SlotName;
  percent: number;
  /** `source`, `cookie:NAME` or `header:NAME`. */
  key: string;
  since: string;
  by: Redacted;
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
  watch?: WatchRecord;
  canary?: CanaryRecord;
  /** Every field as read, so a rewrite keeps the ones we do not know. */
  raw: Record<string, unknown>;
}

export type StateRead = { kind: 'ok'; state: DeploymentState } | { kind: 'missing' } | { kind: 'corrupt'; error: string } | { kind: 'too-large'; bytes: number };

function slotName(v: unknown): SlotName | undefined {
  const s = typeof v === 'string' ? v.toLowerCase() : undefined;
  return s === 'blue' || s === 'green' ? s : undefined;
}

/** The one reader of the state file: the status, the release and reconcile all use it. */
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
      lastSwitch: typeof r.lastSwitch === 'string' ? fromHost(r.lastSwitch, HOST_TEXT_LIMITS.name) : undefined,
      switchCount: typeof r.switchCount === 'number' ? r.switchCount : undefined,
      history: Array.isArray(r.history) ? (r.history.filter((h) => h && typeof h === 'object' && !Array.isArray(h)).map(shownEntry) as HistoryEntry[]) : [],
      watch: watchOf(r.watch),
      canary: canaryOf(r.canary),
      raw: r,
    },
  };
}

/** A history entry as shown: anyone who can write the file wrote its texts, so each is one bounded line. */
function shownEntry(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, typeof v === 'string' ? fromHost(v, HOST_TEXT_LIMITS.detail) : v]));
}

/** The app's lock file on the LB host, beside the state file. */
export function lockFileOf(stateFile: string): string {
  return `${stateFile}.lock`;
}

/** Where anyone asks the process watching the new LIVE to stop (it holds the lock, so the request cannot wait for it). */
export function watchStopFileOf(stateFile: string): string {
  return `${stateFile}.watch-stop`;
}

/** Whether a recorded watch still has time left and nobody runs it. */
export function watchInterrupted(watch: WatchRecord | undefined, lockHeld: boolean, now = Date.now()): boolean {
  return !!watch && Date.parse(watch.until) > now && !lockHeld;
}

function canaryOf(v: unknown): CanaryRecord | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const c = v as Record<string, unknown>;
  const slot = slotName(c.slot);
  if (!slot || typeof c.percent !== 'number') return undefined;
  return { slot, percent: c.percent, key: typeof c.key === 'string' ? c.key : 'source', since: typeof c.since === 'string' ? c.since : '', by: typeof c.by === 'string' ? fromHost(c.by, HOST_TEXT_LIMITS.name) : redact('someone') };
}

/**
 * The state once a canary was set, changed or ended: the record replaced or removed and the
 * change in the history (roles and the switch count untouched: no switch happened).
 */
export function stateWithCanary(raw: Record<string, unknown>, canary: CanaryRecord | undefined, live: SlotName, who: Redacted, at: string): Record<string, unknown> {
  const rest = { ...raw };
  delete rest.canary;
  const standby = otherSlot(live);
  const entry = canary ? { timestamp: at, kind: 'canary', from: live, to: standby, percent: canary.percent, key: canary.key, by: who } : { timestamp: at, kind: 'canary-end', from: standby, to: live, by: who };
  return { ...rest, ...(canary ? { canary } : {}), history: [...historyOf(raw), entry] };
}

function watchOf(v: unknown): WatchRecord | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const w = v as Record<string, unknown>;
  const slot = slotName(w.slot);
  if (!slot || typeof w.until !== 'string' || Number.isNaN(Date.parse(w.until))) return undefined;
  return { slot, until: w.until, since: typeof w.since === 'string' ? w.since : '', by: typeof w.by === 'string' ? fromHost(w.by, HOST_TEXT_LIMITS.name) : redact('someone') };
}

/** Prints the state file; exits 44 when there is none (a missing file is not a corrupt one). */
/**
 * Reads the state file; with `limitBytes`, a larger one is not sent (its size is), so a
 * history grown by other tools never slows a status refresh into a timeout.
 */
export function stateReadScript(file: string, limitBytes?: number): string {
  const f = shQuote(file);
  const read = limitBytes === undefined ? `cat -- ${f}` : `size=$(wc -c < ${f}); if [ "$size" -gt ${limitBytes} ]; then echo "$size"; (exit ${STATE_TOO_LARGE_EXIT}); else cat -- ${f}; fi`;
  return `if [ -e ${f} ]; then ${read}; else (exit ${STATE_MISSING_EXIT}); fi`;
}

const STATE_MISSING_EXIT = 44;
const STATE_TOO_LARGE_EXIT = 46;
/** What a status refresh reads of the state file at most (500 history entries are about 150 KB). */
export const STATE_STATUS_LIMIT = 4 * 1024 * 1024;

/** What stateReadScript's run says: its exit code and output. */
export function stateFromRead(code: number | null, output: string): StateRead {
  if (code === STATE_MISSING_EXIT) return { kind: 'missing' };
  if (code === STATE_TOO_LARGE_EXIT) return { kind: 'too-large', bytes: Number(output.trim()) };
  if (code !== 0) return { kind: 'corrupt', error: output.trim() || `exit code ${code}` };
  return parseState(output);
}

/** The fields a rewrite starts from: all of them when the file was read; none when missing or corrupt. */
export function rawFields(read: StateRead): Record<string, unknown> {
  return read.kind === 'ok' ? read.state.raw : {};
}

export interface SwitchRecord {
  from: SlotName;
  to: SlotName;
  fromVersion?: string;
  toVersion?: string;
  fromCommit?: string;
  toCommit?: string;
  kind: 'release' | 'rollback' | 'auto-rollback';
  emergency?: boolean;
  /** Traffic routed back to the slot the state file recorded as LIVE (it and HAProxy disagreed). */
  routedBack?: boolean;
  /** What a person or an agent typed: written to the LB host, read by everyone, so redacted. */
  reason?: Redacted;
  /** How the person approved it (editor dialog, terminal, MCP elicitation…). */
  approvedVia?: string;
  /** A gate an emergency release went past ("1 of 2 smoke tests failed: …"). */
  overrode?: Redacted;
  who: Redacted;
  at: string;
}

/**
 * The state after a switch: every field kept, roles and counters updated, history appended.
 * Past `historyKept` entries, the oldest leave the file in `moved` (written to the rotated file
 * before the state file, so none is ever lost).
 */
export function stateAfterSwitch(raw: Record<string, unknown>, rec: SwitchRecord, historyKept = Infinity, watch?: WatchRecord): { state: Record<string, unknown>; moved: unknown[] } {
  const entry: Record<string, unknown> = {
    timestamp: rec.at,
    from: rec.from,
    to: rec.to,
    fromVersion: rec.fromVersion,
    toVersion: rec.toVersion,
    fromCommit: rec.fromCommit,
    toCommit: rec.toCommit,
    by: rec.who,
    kind: rec.kind,
  };
  if (rec.emergency) entry.emergency = true;
  if (rec.routedBack) entry.routedBack = true;
  if (rec.reason) entry.reason = rec.reason;
  if (rec.approvedVia) entry.approvedVia = rec.approvedVia;
  if (rec.overrode) entry.overrode = rec.overrode;
  const history = [...historyOf(raw), entry];
  const moved = history.length > historyKept ? history.splice(0, history.length - historyKept) : [];
  // Any switch ends the watch of the slot it switched from (a release starts its own) and a canary (promoted or dropped).
  const rest = stateWithoutWatch(raw);
  delete rest.canary;
  return {
    state: {
      ...withRoles(rest, rec.to),
      lastSwitch: rec.at,
      switchCount: (typeof raw.switchCount === 'number' ? raw.switchCount : 0) + 1,
      history,
      ...(watch ? { watch } : {}),
    },
    moved,
  };
}

/** A deploy to STANDBY that went past the promotion gate, as the history records it. */
export interface StagingSkippedRecord {
  slot: SlotName;
  commit: string;
  version?: string;
  reason: Redacted;
  /** The gate's sentence: what staging's record said of the commit. */
  overrode: Redacted;
  approvedVia?: string;
  who: Redacted;
  at: string;
}

/**
 * The state with a skipped staging in the history: roles, counters, the watch and the canary
 * untouched (no switch happened); entries past `historyKept` moved out as after a switch.
 */
export function stateWithStagingSkipped(raw: Record<string, unknown>, rec: StagingSkippedRecord, historyKept = Infinity): { state: Record<string, unknown>; moved: unknown[] } {
  const entry = { timestamp: rec.at, kind: 'staging-skipped', to: rec.slot, toCommit: rec.commit, ...(rec.version ? { toVersion: rec.version } : {}), reason: rec.reason, overrode: rec.overrode, ...(rec.approvedVia ? { approvedVia: rec.approvedVia } : {}), by: rec.who };
  const history = [...historyOf(raw), entry];
  const moved = history.length > historyKept ? history.splice(0, history.length - historyKept) : [];
  return { state: { ...raw, history }, moved };
}

/** A restart of a slot's app (Restart STANDBY, or LIVE's behind its typed name), as the history keeps it. */
export interface RestartRecord {
  slot: SlotName;
  role: 'LIVE' | 'STANDBY';
  servers: string[];
  reason?: Redacted;
  who: Redacted;
  at: string;
}

/** The state with a restart in the history (no switch: roles and the switch count untouched). */
export function stateWithRestart(raw: Record<string, unknown>, rec: RestartRecord, historyKept = Infinity): { state: Record<string, unknown>; moved: unknown[] } {
  const entry = { timestamp: rec.at, kind: 'restart', slot: rec.slot, role: rec.role, servers: rec.servers, ...(rec.reason ? { reason: rec.reason } : {}), by: rec.who };
  const history = [...historyOf(raw), entry];
  const moved = history.length > historyKept ? history.splice(0, history.length - historyKept) : [];
  return { state: { ...raw, history }, moved };
}

/** The state once a watch ended (held up, stopped, or its slot is no longer LIVE). */
export function stateWithoutWatch(raw: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...raw };
  delete rest.watch;
  return rest;
}

/** History entries moved out of the state file, one JSON object a line, appended. */
export function rotatedHistoryText(moved: readonly unknown[]): string {
  return moved.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** The state rewritten to agree with HAProxy (reconcile): roles fixed, the correction in the history. */
export function stateReconciled(raw: Record<string, unknown>, live: SlotName, recorded: SlotName | undefined, who: Redacted, at: string): Record<string, unknown> {
  return { ...withRoles(raw, live), history: [...historyOf(raw), { timestamp: at, kind: 'reconcile', live, recorded: recorded ?? null, by: who }] };
}

function withRoles(raw: Record<string, unknown>, live: SlotName): Record<string, unknown> {
  return { ...raw, prod: live, live, standby: otherSlot(live) };
}

function historyOf(raw: Record<string, unknown>): unknown[] {
  return Array.isArray(raw.history) ? raw.history : [];
}

export function stateText(state: Record<string, unknown>): string {
  return JSON.stringify(state, null, 2) + '\n';
}
