import { WatchThresholds } from '../config/types';
import { BackendTraffic } from './snapshot';

/** What a backend served between two readings of HAProxy's counters. */
export interface TrafficSince {
  requests: number;
  http5xx: number;
  /** HAProxy's own average over the backend's last 1024 requests. */
  responseMs: number;
}

/**
 * The counters' growth since `baseline`; a counter that went down means HAProxy was reloaded
 * in between (a new process counts from 0): then the new process's counts are all there is.
 */
export function trafficSince(baseline: BackendTraffic | undefined, now: BackendTraffic): TrafficSince {
  const restarted = !baseline || now.requests < baseline.requests || now.http5xx < baseline.http5xx;
  const from = restarted ? { requests: 0, http5xx: 0 } : baseline;
  return { requests: now.requests - from.requests, http5xx: now.http5xx - from.http5xx, responseMs: now.responseMs };
}

export function percentText(part: number, whole: number): string {
  return `${whole ? Math.round((part / whole) * 1000) / 10 : 0}%`;
}

/** "312 requests, 4 answered 5xx (1.3%), 41 ms average". */
export function trafficText(t: TrafficSince): string {
  return `${t.requests} request(s), ${t.http5xx} answered 5xx (${percentText(t.http5xx, t.requests)}), ${t.responseMs} ms average`;
}

/** Why the new LIVE must be switched back, by what HAProxy counted; undefined while it holds up or too few requests came. */
export function trafficExceeds(t: TrafficSince, limits: WatchThresholds): string | undefined {
  if (t.requests < limits.minRequests) return undefined;
  const share = (t.http5xx / t.requests) * 100;
  if (share > limits.max5xxPercent) return `${t.http5xx} of ${t.requests} requests HAProxy sent to it answered 5xx (${percentText(t.http5xx, t.requests)}, over release.watch.max5xxPercent ${limits.max5xxPercent}%)`;
  if (limits.maxResponseMs !== undefined && t.responseMs > limits.maxResponseMs) return `HAProxy measures an average response time of ${t.responseMs} ms (over release.watch.maxResponseMs ${limits.maxResponseMs} ms)`;
  return undefined;
}
