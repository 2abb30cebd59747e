// The staging record: what the last deploys to an app's staging did, kept on its first staging
// server beside the checkout, so every operator (and a later promotion) reads the same outcome.
import * as path from 'node:path';
import { fromHost, fromHostIfAny, HOST_TEXT_LIMITS } from '../hostText';
import { redact } from '../redact';
import { stateFromRead, stateReadScript } from './stateFile';

/** Deploys kept in the record, newest first; an older one is dropped (staging is not an audit log). */
export const STAGING_HISTORY_KEPT = 20;
/** What a read takes at most: twenty entries with their smoke results are a few KB. */
const STAGING_READ_LIMIT = 256 * 1024;

export interface StagingCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** One deploy to staging and its outcome. */
export interface StagingEntry {
  /** The commit deployed (or, when it failed before the checkout, the one it was to deploy). */
  commit?: string;
  version?: string;
  /** What was asked for: a branch, a tag or a commit. */
  ref: string;
  /** When it ended (ISO time). */
  at: string;
  /** `user@machine`. */
  who: string;
  passed: boolean;
  /** It was cancelled (Ctrl-C, Cancel) before it ended: not passed, but no verdict on the commit either. */
  cancelled?: boolean;
  /** The step that failed, and why, when it did not pass. */
  failedStep?: string;
  detail?: string;
  /** `passed`, `failed`, or not reached (the deploy failed before). */
  health?: 'passed' | 'failed';
  smoke?: StagingCheck[];
  durationMs?: number;
}

export interface StagingRecord {
  app: string;
  /** Newest first: `history[0]` is the last deploy. */
  history: StagingEntry[];
}

/** Where the record and the staging lock are: `<dir>/../.bluegreen-staging/<app>.json` and `.lock`. */
export function stagingFiles(dir: string, app: string): { record: string; lock: string; folder: string } {
  const folder = `${path.posix.dirname(path.posix.normalize(`${dir}/`).replace(/(.)\/$/, '$1'))}/.bluegreen-staging`;
  return { folder, record: `${folder}/${app}.json`, lock: `${folder}/${app}.lock` };
}

export function stagingReadScript(file: string): string {
  return stateReadScript(file, STAGING_READ_LIMIT);
}

export type StagingRead = { kind: 'ok'; record: StagingRecord } | { kind: 'missing' } | { kind: 'unreadable'; error: string };

/** What stagingReadScript's run says: the record, none yet, or why it cannot be read. */
export function stagingFromRead(code: number | null, output: string): StagingRead {
  if (code === 0) {
    const record = parseStagingRecord(output);
    return record ? { kind: 'ok', record } : { kind: 'unreadable', error: 'not a staging record' };
  }
  // The state file's reader knows the script's exit codes (missing, too large); its parse is the LB's, not used here.
  const read = stateFromRead(code, output);
  if (read.kind === 'missing') return { kind: 'missing' };
  return { kind: 'unreadable', error: read.kind === 'too-large' ? `the record is ${read.bytes} bytes` : read.kind === 'corrupt' ? read.error : `exit code ${code}` };
}

/** The record with `entry` put first and the oldest beyond STAGING_HISTORY_KEPT dropped. */
export function withEntry(record: StagingRecord | undefined, app: string, entry: StagingEntry): StagingRecord {
  return { app, history: [entry, ...(record?.history ?? [])].slice(0, STAGING_HISTORY_KEPT) };
}

export function renderStagingRecord(record: StagingRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * The record as read. Anyone who can write the staging host wrote it: every text is one bounded
 * line, an entry without the fields that make it one is left out, and a file that is not a
 * record at all is `undefined` (shown as unreadable, never as a pass).
 */
export function parseStagingRecord(text: string): StagingRecord | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(data) || typeof data.app !== 'string' || !Array.isArray(data.history)) return undefined;
  const history = data.history.flatMap((e) => {
    const entry = entryOf(e);
    return entry ? [entry] : [];
  });
  return { app: fromHost(data.app, HOST_TEXT_LIMITS.name), history: history.slice(0, STAGING_HISTORY_KEPT) };
}

function entryOf(e: unknown): StagingEntry | undefined {
  if (!isObject(e) || typeof e.passed !== 'boolean' || typeof e.at !== 'string' || typeof e.ref !== 'string') return undefined;
  const text = (v: unknown, max: number) => (typeof v === 'string' ? fromHost(v, max) : undefined);
  const commit = typeof e.commit === 'string' && /^[0-9a-f]{7,40}$/.test(e.commit) ? e.commit : undefined;
  const smoke = Array.isArray(e.smoke) ? e.smoke.filter(isObject).map((c) => ({ name: text(c.name, HOST_TEXT_LIMITS.line) ?? redact('?'), ok: c.ok === true, detail: text(c.detail, HOST_TEXT_LIMITS.line) ?? redact('') })) : undefined;
  return {
    ...(commit ? { commit } : {}),
    ...optional('version', text(e.version, HOST_TEXT_LIMITS.word)),
    ref: fromHost(e.ref, HOST_TEXT_LIMITS.name),
    at: fromHost(e.at, HOST_TEXT_LIMITS.word),
    who: fromHostIfAny(typeof e.who === 'string' ? e.who : undefined, HOST_TEXT_LIMITS.name) ?? redact('someone'),
    passed: e.passed,
    ...(e.passed === false && e.cancelled === true ? { cancelled: true } : {}),
    ...optional('failedStep', text(e.failedStep, HOST_TEXT_LIMITS.line)),
    ...optional('detail', text(e.detail, HOST_TEXT_LIMITS.detail)),
    ...(e.health === 'passed' || e.health === 'failed' ? { health: e.health } : {}),
    ...(smoke ? { smoke } : {}),
    ...(typeof e.durationMs === 'number' && Number.isFinite(e.durationMs) ? { durationMs: e.durationMs } : {}),
  };
}

/** "v1.3.0 abc1234 passed 2026-12-03T20:01:00Z by ana@laptop", or how it failed. */
export function stagingLine(e: StagingEntry): string {
  const what = [e.version ? `v${e.version}` : '', e.commit?.slice(0, 7) ?? e.ref].filter(Boolean).join(' ');
  const outcome = e.passed ? 'passed' : `${e.cancelled ? 'CANCELLED' : 'FAILED'}${e.failedStep ? ` at "${e.failedStep}"` : ''}`;
  return `${what} ${outcome} ${e.at} by ${e.who}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
