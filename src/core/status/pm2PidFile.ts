import { MARK_PREFIX } from '../ssh/output';
import { remote } from '../remote/scripts';
import { SlotSnapshot } from './snapshot';

const PIDFILE_MARK = `${MARK_PREFIX}pm2-pidfile`;

/** A running process's start, in clock ticks since boot, as a previous probe read it. */
export interface KnownStart {
  /** The pid and the boot it belongs to: after a reboot the same pid is another process. */
  process: string;
  ticks: string;
}

/** Is the pm2 process running, since when: from its pid file, or pm2 itself when it is not (scripts/pm2-pidfile.sh). */
export function pm2Script(name: string, known?: KnownStart): string {
  return remote.pm2PidFile(name, PIDFILE_MARK, known);
}

/** The pid file's answer, and the start to remember for the next probe (when /proc gave one). */
export function parsePidFileLine(output: string): { pm2: SlotSnapshot['pm2']; start?: KnownStart } | undefined {
  const m = new RegExp(`^${PIDFILE_MARK} (\\d+) (\\d*) ?(\\S*) ?(\\d*)`, 'm').exec(output);
  if (!m) return undefined;
  const [, pid, age, boot, ticks] = m;
  return { pm2: { status: 'online', pid: Number(pid), uptimeMs: age ? Number(age) * 1000 : undefined }, start: boot && ticks ? { process: `${pid} ${boot}`, ticks } : undefined };
}
