import { lbHost, serverHost } from '../config/hostRefs';
import { AppConfig, SlotName } from '../config/types';
import { isBlueGreenError } from '../errors';
import { fromHost } from '../hostText';
import { remote } from '../remote/scripts';
import { fillTemplate } from '../shell';
import { CommandRunner, HostRef } from '../ssh/runner';
import { HostLogReader, LineGate, LOG_LINE_LIMIT, LogLine, LogTarget, whereHaproxyLogs } from '../status/logLines';
import { SinceFilter, sinceMoment } from '../status/logSince';
import { snapshotApp } from '../status/refresh';


/** Lines a request may ask for, per server; a follow keeps going after them. */
export const MAX_LOG_LINES = 10000;
/** A follow runs until it is cancelled; this bounds a forgotten one. */
const FOLLOW_LIMIT_MS = 24 * 3600 * 1000;

export interface LogsRequest {
  target: LogTarget;
  /** One server of the slot, by name; default: all of them. */
  server?: string;
  lines: number;
  follow: boolean;
  /** Only lines holding this text (case-insensitive), matched after redaction. */
  filter?: string;
  /** Only lines written since then: a duration back (15m) or a time (logSince.ts); not with follow. */
  since?: string;
  /** The flood bound: more lines a second than this are counted, not shown. */
  perSecond?: number;
  signal?: AbortSignal;
  /** Each line as it comes (a follow's only output). */
  onLine?(line: LogLine): void;
}

export interface LogsResult {
  /** What was read: "GREEN (STANDBY)", "the load balancer". */
  title: string;
  /** The lines shown, in order (a follow's too, until it ended). */
  lines: LogLine[];
  dropped: number;
  /** Where each host's log was read from. */
  sources: string[];
  /** Said instead of lines when there is no log to read (where HAProxy logs). */
  note?: string;
}

/**
 * The app's own log on a slot's servers (pm2's out and error files), or HAProxy's on the load
 * balancer: the last lines, then with `follow` each new one until `signal` ends it, which kills
 * the remote tails. Every line is redacted and on one line; a flood is bounded. Reads only.
 */
export async function readLogs(runner: CommandRunner, app: AppConfig, r: LogsRequest): Promise<LogsResult> {
  const lines = Math.max(1, Math.min(MAX_LOG_LINES, Math.floor(r.lines)));
  if (r.since !== undefined && r.follow) throw new Error('since picks among the lines already written; it does not combine with follow');
  const now = Date.now();
  const since = r.since === undefined ? undefined : new SinceFilter(sinceMoment(r.since, now), now);
  // Only a follow floods: read once, the lines are bounded by `lines`, and a crash's error lines must not be dropped for its output's.
  const gate = r.follow ? new LineGate(r.perSecond ?? 200) : undefined;
  const shown: LogLine[] = [];
  const filter = r.filter?.toLowerCase();
  const pass = (line: LogLine) => {
    for (const l of gate ? gate.offer(line, Date.now()) : [line]) {
      if (filter && l.stream !== 'note' && !l.text.toLowerCase().includes(filter)) continue;
      shown.push(l);
      r.onLine?.(l);
    }
  };
  const show = (line: LogLine) => (since ? since.offer(line).forEach(pass) : pass(line));
  const flushGate = (where: string) =>
    gate?.flush(where).forEach((l) => {
      shown.push(l);
      r.onLine?.(l);
    });
  /** The lines `since` held to the end (streams that say no time), then what the gate held. */
  const finish = (where: string) => {
    since?.flush().forEach(pass);
    flushGate(where);
  };
  const sources: string[] = [];
  const mode = r.follow ? 'follow' : 'once';
  const read = async (host: HostRef, where: string, script: string): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const reader = new HostLogReader(where);
    const onStdout = (raw: string) => {
      const { line, zone, files } = reader.read(raw);
      if (files) sources.push(`${where}: ${files}`);
      if (zone) since?.zone(where, zone);
      if (line) show(line);
    };
    try {
      return await runner.run(host, script, { signal: r.signal, timeoutMs: r.follow ? FOLLOW_LIMIT_MS : 30000, onStdout });
    } catch (e) {
      // Cancelling a follow is how it ends.
      if (r.follow && isBlueGreenError(e, 'aborted')) return { code: 0, stdout: '', stderr: '' };
      throw e;
    } finally {
      flushGate(where);
    }
  };

  if (r.target === 'lb') {
    const lb = app.loadBalancer;
    const where = `load balancer ${lb.ssh}`;
    const result = await read(lbHost(app), where, remote.lbLogs(lines, mode, lb.config));
    finish(where);
    if (result.code === 4) {
      const logLines = result.stdout.split('\n').filter((l) => l.startsWith('log-line ')).map((l) => l.slice('log-line '.length));
      return { title: 'the load balancer', lines: shown, dropped: gate?.droppedTotal ?? 0, sources, note: fromHost(`${where}: ${whereHaproxyLogs(logLines)}`, LOG_LINE_LIMIT) };
    }
    if (result.code !== 0) throw new Error(`${where}: reading HAProxy's log failed (exit ${result.code}): ${fromHost(result.stderr.trim().split('\n').pop() ?? '', LOG_LINE_LIMIT)}`);
    return { title: 'the load balancer', lines: shown, dropped: gate?.droppedTotal ?? 0, sources };
  }

  const { slot, title } = await resolveSlot(runner, app, r.target, r.signal);
  const servers = app.slots[slot].servers.filter((s) => r.server === undefined || s.name === r.server);
  if (!servers.length) throw new Error(`${slot.toUpperCase()} has no server named "${r.server}" (it has ${app.slots[slot].servers.map((s) => s.name).join(', ')})`);
  const command = app.logs?.[slot];
  const script = (s: (typeof servers)[number]) => (command === undefined ? remote.appLogs(s.pm2, lines, mode) : remote.customLogs(fillTemplate(command, { lines: String(lines), pm2: s.pm2, dir: s.dir, slot }), lines, mode, s.dir));
  if (command !== undefined) sources.push(...servers.map((s) => `${slot.toUpperCase()} ${s.name}: logs.${slot} in bluegreen.yaml`));
  const results = await Promise.all(servers.map((s) => read(serverHost(s), `${slot.toUpperCase()} ${s.name}`, script(s))));
  finish(slot.toUpperCase());
  const failed = results.map((x, i) => ({ x, s: servers[i] })).filter(({ x }) => x.code !== 0);
  if (failed.length === servers.length) {
    throw new Error(failed.map(({ x, s }) => `${slot.toUpperCase()} ${s.name}: ${fromHost(x.stderr.trim().split('\n').pop() || `exit ${x.code}`, LOG_LINE_LIMIT)}`).join('; '));
  }
  return { title, lines: shown, dropped: gate?.droppedTotal ?? 0, sources };
}

/** BLUE or GREEN as named, or the one HAProxy routes to (live) or not (standby) now. */
async function resolveSlot(runner: CommandRunner, app: AppConfig, target: Exclude<LogTarget, 'lb'>, signal?: AbortSignal): Promise<{ slot: SlotName; title: string }> {
  if (target === 'blue' || target === 'green') return { slot: target, title: target.toUpperCase() };
  const snapshot = await snapshotApp(runner, app, signal);
  const slot = target === 'live' ? snapshot.live : snapshot.standby;
  if (!slot) throw new Error(`which slot is ${target.toUpperCase()} cannot be told now (${app.loadBalancer.ssh}: ${snapshot.lb.error ?? 'no routing read'}); name it: blue or green`);
  return { slot, title: `${slot.toUpperCase()} (${target.toUpperCase()})` };
}
