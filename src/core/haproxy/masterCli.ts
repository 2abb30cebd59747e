/** One HAProxy process as the master CLI's `show proc` lists it. */
export interface HaproxyProcess {
  pid: number;
  /** How many reloads ago it was started: 0 for the current worker. */
  reloads: number;
  /** Its uptime as HAProxy prints it ("0d00h01m30s"). */
  uptime: string;
}

/** `show proc`: the current workers and the old ones still draining connections after a reload. */
export function parseShowProc(text: string): { workers: HaproxyProcess[]; oldWorkers: HaproxyProcess[] } {
  const workers: HaproxyProcess[] = [];
  const oldWorkers: HaproxyProcess[] = [];
  let into: HaproxyProcess[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# workers')) into = workers;
    else if (line.startsWith('# old workers')) into = oldWorkers;
    else if (line.startsWith('#')) into = undefined;
    else {
      const [pid, type, reloads, uptime] = line.trim().split(/\s+/);
      if (into && type === 'worker' && /^\d+$/.test(pid)) into.push({ pid: Number(pid), reloads: Number(reloads) || 0, uptime: uptime ?? '' });
    }
  }
  return { workers, oldWorkers };
}
