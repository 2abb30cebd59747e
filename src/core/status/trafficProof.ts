import { SlotName } from '../config/types';

/** Every session HAProxy has routed since its process started (`stot`), per backend and per server. */
export interface SessionCounts {
  backends: Map<string, number>;
  servers: { backend: string; server: string; address?: string; sessions: number }[];
}

/** What HAProxy counted reaching STANDBY's servers across a window of time. */
export interface StandbyTraffic {
  windowMs: number;
  sessions: number;
  /** Each backend (and, outside STANDBY's own backend, each server) that took some. */
  where: { backend: string; server?: string; sessions: number }[];
}

/**
 * How the roles read from the config were checked against what HAProxy does: its own counters
 * across a window, and one request through the app's frontend.
 */
export interface TrafficProof {
  standby: SlotName;
  counted?: StandbyTraffic;
  /** Why nothing was counted: no stats socket, it did not answer, or HAProxy reloaded meanwhile. */
  notCounted?: string;
  /** One request through the frontend: whose identity answered it. */
  request?: { answeredBy: 'live' | 'standby' | 'neither' | 'unknown'; detail: string };
}

/** One reading of the stats socket: when, from which HAProxy process, and its counters. */
export interface CountReading {
  at: number;
  pid?: string;
  counts: SessionCounts;
}

/**
 * Sessions that reached STANDBY between two readings of one HAProxy process: its backend's, and
 * those of any server elsewhere at one of its addresses (a backend the config reader does not
 * connect to the slot still reaches it). Health checks are not sessions. Undefined when a
 * counter went backwards: then the readings are not of one process.
 */
export function standbyReached(before: SessionCounts, after: SessionCounts, standbyBackend: string, standbyAddresses: readonly string[]): StandbyTraffic['where'] | undefined {
  const where: StandbyTraffic['where'] = [];
  const own = [before.backends.get(standbyBackend), after.backends.get(standbyBackend)];
  if (own[0] !== undefined && own[1] !== undefined) {
    if (own[1] < own[0]) return undefined;
    if (own[1] > own[0]) where.push({ backend: standbyBackend, sessions: own[1] - own[0] });
  }
  for (const server of after.servers) {
    if (server.backend === standbyBackend || !server.address || !standbyAddresses.includes(server.address)) continue;
    const earlier = before.servers.find((s) => s.backend === server.backend && s.server === server.server);
    if (!earlier) continue;
    if (server.sessions < earlier.sessions) return undefined;
    if (server.sessions > earlier.sessions) where.push({ backend: server.backend, server: server.server, sessions: server.sessions - earlier.sessions });
  }
  return where;
}

/** The shortest window counted, and how old an earlier reading may be to serve as its start. */
export const COUNT_WINDOW_MS = 1000;
const EARLIER_READING_KEPT_MS = 5 * 60_000;
/** Per stats socket, the readings that may still start a window, oldest first. */
const earlierReadings = new Map<string, CountReading[]>();

/**
 * Two readings of one HAProxy process at least COUNT_WINDOW_MS apart: the newest earlier
 * reading old enough, and this one (a tree refreshed on an interval, or refreshes in a row,
 * pay nothing); with none, this one and another after the rest of the window.
 */
export async function countingWindow(key: string, now: CountReading, readAgain: () => Promise<CountReading>): Promise<{ before: CountReading; after: CountReading } | { notCounted: string }> {
  const kept = (earlierReadings.get(key) ?? []).filter((r) => r.pid === now.pid && now.at - r.at <= EARLIER_READING_KEPT_MS);
  const start = kept.filter((r) => now.at - r.at >= COUNT_WINDOW_MS).pop();
  let pair: { before: CountReading; after: CountReading };
  try {
    if (start) pair = { before: start, after: now };
    else {
      await new Promise((r) => setTimeout(r, Math.max(0, COUNT_WINDOW_MS - (Date.now() - now.at))));
      pair = { before: now, after: await readAgain() };
    }
  } catch (e) {
    return { notCounted: `the stats socket did not answer a second time (${(e as Error).message})` };
  }
  // What is older than the start chosen is not needed again: a newer start will do.
  const newer = [...kept.filter((r) => r.at >= (start ?? now).at), ...(start ? [] : [now]), pair.after];
  earlierReadings.set(key, newer.slice(-100));
  if (pair.before.pid !== pair.after.pid) return { notCounted: 'HAProxy reloaded while counting' };
  return pair;
}

/** For measuring a first refresh in a process that already made some: forget every earlier reading. */
export function forgetEarlierReadings(): void {
  earlierReadings.clear();
}

/** "STANDBY GREEN: no traffic (0 sessions in 2 s, checked by HAProxy)", or how the roles were read otherwise. */
export function trafficProofText(proof: TrafficProof): string {
  const slot = `STANDBY ${proof.standby.toUpperCase()}`;
  const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))} s`;
  if (proof.counted) {
    const { sessions, windowMs, where } = proof.counted;
    if (!sessions) return `${slot}: no traffic (0 sessions in ${seconds(windowMs)}, checked by HAProxy)`;
    return `${slot}: ${sessions} session${sessions === 1 ? '' : 's'} in ${seconds(windowMs)} (${where.map((w) => `${w.server ? `${w.backend}/${w.server}` : w.backend} ${w.sessions}`).join(', ')}, counted by HAProxy)`;
  }
  const request = proof.request ? `proved by one request through the frontend (${proof.request.detail})` : 'not proved by a request either';
  return `roles read from the config only, ${request}; ${proof.notCounted ?? 'HAProxy did not count'}`;
}

/** The proof in a few words, for a row of a narrow sidebar (trafficProofText is the whole of it). */
export function trafficProofShort(proof: TrafficProof): string {
  if (proof.counted) return `${proof.counted.sessions} to STANDBY in ${Math.max(1, Math.round(proof.counted.windowMs / 1000))} s`;
  return proof.request ? 'by a request only' : 'not proved';
}

/** What contradicts the config's reading: traffic reaching STANDBY, by HAProxy's count or by who answered. */
export function trafficContradiction(proof: TrafficProof, frontend: string, canaryToStandby: boolean): string | undefined {
  if (canaryToStandby) return undefined;
  const slot = `STANDBY ${proof.standby.toUpperCase()}`;
  if (proof.counted?.sessions) {
    return `traffic reaches ${slot}, though the config routes frontend "${frontend}" to the other slot: ${trafficProofText(proof).slice(slot.length + 2)}. Some frontend or rule HAProxy runs sends users there; deploy, sync and canary are refused until none does`;
  }
  // The body's identity is the host's claim: when HAProxy counted (this request's own session included), its count has the last word.
  if (proof.request?.answeredBy === 'standby' && !proof.counted) {
    return `traffic reaches ${slot}: a request through frontend "${frontend}" was answered by it (${proof.request.detail}), though the config routes it to the other slot; deploy, sync and canary are refused until the frontend answers from LIVE`;
  }
  return undefined;
}
