import { shQuote } from '../shell';

/** How a load balancer's HAProxy is reloaded, as far as it can be told from outside, and why. */
export interface ProposedReload {
  command: string;
  why: string;
  /** Told from what runs; false when it is only the packaged default, for the person to check. */
  found: boolean;
}

export interface RunningHaproxyFacts {
  /** `systemctl is-active haproxy` said active. */
  systemd: boolean;
  /** The running HAProxy's command line, one argument each. */
  args?: readonly string[];
}

/**
 * systemd's unit when it runs HAProxy; else a master-worker HAProxy started with a pid file
 * reloads on USR2 to its master (the lab's and a container's shape); else the packaged command,
 * said to be a guess.
 */
export function proposeReload(facts: RunningHaproxyFacts): ProposedReload {
  if (facts.systemd) return { command: 'systemctl reload haproxy', why: 'systemd runs HAProxy (the haproxy unit is active)', found: true };
  const args = facts.args ?? [];
  const pidFile = valueOf(args, '-p');
  const masterWorker = args.includes('-W') || args.includes('-Ws');
  if (pidFile && masterWorker) return { command: `kill -USR2 "$(cat ${quoteForShell(pidFile)})"`, why: `HAProxy runs master-worker with the pid file ${pidFile}: USR2 to the master reloads it`, found: true };
  return { command: 'systemctl reload haproxy', why: 'not found: no active haproxy unit, and HAProxy runs without -W and a pid file; write the command that reloads it', found: false };
}

/** The master CLI socket of `-S PATH[,options]`, which shows old processes draining after a reload. */
export function masterSocketOf(args: readonly string[] | undefined): string | undefined {
  const value = valueOf(args ?? [], '-S');
  const socket = value?.split(',')[0];
  return socket?.startsWith('/') ? socket : undefined;
}

function valueOf(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Plain paths stay readable in the command the config holds; any other is quoted. */
function quoteForShell(p: string): string {
  return /^[\w./-]+$/.test(p) ? p : shQuote(p);
}
