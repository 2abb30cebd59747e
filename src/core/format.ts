/** "45s", "12m", "3h", "2d": for uptimes and ages in narrow columns. */
export function shortDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** "300 ms", "15 s": for timeouts in messages. */
export function timeoutText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** "40 s", "23 min": how long is left until an ISO time (0 s once past). */
export function timeLeft(until: string, now = Date.now()): string {
  return secondsText(Math.max(0, Math.round((Date.parse(until) - now) / 1000)));
}

/** "30 s", "45 min": a duration in seconds. */
export function secondsText(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** "1 switch", "3 switches", "0 entries": a count with its noun agreeing. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
