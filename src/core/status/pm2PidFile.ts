import { MARK_PREFIX } from '../ssh/output';
import { shQuote } from '../shell';
import { SlotSnapshot } from './snapshot';

const PIDFILE_MARK = `${MARK_PREFIX}pm2-pidfile`;

/** A running process's start, in clock ticks since boot, as a previous probe read it. */
export interface KnownStart {
  /** The pid and the boot it belongs to: after a reboot the same pid is another process. */
  process: string;
  ticks: string;
}

/**
 * pm2's pid file answers "is it running, since when" without starting pm2 (`pm2 jlist` costs
 * a Node start and prints every process's environment). Shell builtins only: the
 * start time is field 22 of /proc/PID/stat, in USER_HZ ticks, which Linux exposes as 100 per
 * second on every architecture; `ps` only where /proc is missing. The shell reads that file a
 * byte at a time, so a start already known for the same pid and boot is not read again.
 * Only when the process is not running does it ask pm2 itself, for the status and restart count.
 */
export function pm2Script(name: string, known?: KnownStart): string {
  const q = shQuote(name);
  return [
    'h="${PM2_HOME:-$HOME/.pm2}"; f=""; pid=""; boot=""; start=""',
    `for p in "$h"/pids/${q}-*.pid; do b=\${p##*/}; rest=\${b#${q}-}; rest=\${rest%.pid}; case "$rest" in ''|*[!0-9]*) ;; *) f=$p;; esac; done`,
    'if [ -n "$f" ]; then { read -r pid || :; } < "$f" 2>/dev/null; fi',
    'case "$pid" in ""|*[!0-9]*) pid="";; esac',
    'if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then',
    '  { read -r boot < /proc/sys/kernel/random/boot_id; } 2>/dev/null',
    ...(known ? [`  if [ -n "$boot" ] && [ "$pid $boot" = ${shQuote(known.process)} ]; then start=${shQuote(known.ticks)}; fi`] : []),
    '  if [ -z "$start" ] && { read -r st < "/proc/$pid/stat"; } 2>/dev/null; then set -- ${st##*) }; shift 19; start=$1; fi',
    '  if [ -n "$start" ] && { read -r up _ < /proc/uptime; } 2>/dev/null; then age=$(( ${up%.*} - start / 100 )); else age=$(ps -o etimes= -p "$pid" | tr -d " "); fi',
    `  echo "${PIDFILE_MARK} $pid $age $boot $start"`,
    'else pm2 jlist; fi',
  ].join('\n');
}

/** The pid file's answer, and the start to remember for the next probe (when /proc gave one). */
export function parsePidFileLine(output: string): { pm2: SlotSnapshot['pm2']; start?: KnownStart } | undefined {
  const m = new RegExp(`^${PIDFILE_MARK} (\\d+) (\\d*) ?(\\S*) ?(\\d*)`, 'm').exec(output);
  if (!m) return undefined;
  const [, pid, age, boot, ticks] = m;
  return { pm2: { status: 'online', pid: Number(pid), uptimeMs: age ? Number(age) * 1000 : undefined }, start: boot && ticks ? { process: `${pid} ${boot}`, ticks } : undefined };
}
