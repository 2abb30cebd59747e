import { SlotName } from '../config/types';
import { LineRedactor, Redacted } from '../redact';
import { fromHost } from '../hostText';

/** Whose log: a slot by name or by role now, or the load balancer's HAProxy. */
export type LogTarget = SlotName | 'standby' | 'live' | 'lb';
export const LOG_TARGETS: readonly LogTarget[] = ['blue', 'green', 'standby', 'live', 'lb'];

/** One line of an app's or HAProxy's log, as a person or an agent reads it: redacted, on one line. */
export interface LogLine {
  /** "GREEN lab-green", "load balancer lab-lb". */
  where: string;
  stream: 'out' | 'err' | 'lb' | 'note';
  text: Redacted;
}

/** A line as people and agents read it: "GREEN web-1 | text", "!" for the error stream, "where: text" for a note. */
export function logLineText(l: LogLine): string {
  return l.stream === 'note' ? `${l.where}: ${l.text}` : `${l.where} ${l.stream === 'err' ? '!' : '|'} ${l.text}`;
}

/** A log line is the host's words: one line, cut at this many characters, redacted. */
export const LOG_LINE_LIMIT = 2000;

/**
 * The flood bound: at most `perSecond` lines a second go on; the rest are counted, and said as
 * one "N lines dropped" line when the next second starts (or at the end: `flush`). Pure: the
 * caller gives the time.
 */
export class LineGate {
  private windowStart = -Infinity;
  private passed = 0;
  private dropped = 0;
  /** Every line dropped so far. */
  droppedTotal = 0;

  constructor(private readonly perSecond: number) {}

  /** The lines to show for `line` at `now` (ms): the drop note first when a second has ended. */
  offer(line: LogLine, now: number): LogLine[] {
    const shown: LogLine[] = [];
    if (now - this.windowStart >= 1000) {
      shown.push(...this.flush(line.where));
      this.windowStart = now;
      this.passed = 0;
    }
    if (this.passed < this.perSecond) {
      this.passed++;
      shown.push(line);
    } else {
      this.dropped++;
      this.droppedTotal++;
    }
    return shown;
  }

  /** The drop note for the lines held back, if any. */
  flush(where: string): LogLine[] {
    if (!this.dropped) return [];
    const note: LogLine = { where, stream: 'note', text: fromHost(`… ${this.dropped} line${this.dropped > 1 ? 's' : ''} dropped (more than ${this.perSecond} a second)`, LOG_LINE_LIMIT) };
    this.dropped = 0;
    return [note];
  }
}

type Stream = Exclude<LogLine['stream'], 'note'>;

/** What one raw line of a host's log script is. */
export interface HostLogRead {
  line?: LogLine;
  /** The host's `date +%z`, for lines that say a time without a zone. */
  zone?: string;
  /** Where the host read the log from. */
  files?: Redacted;
}

/**
 * One host's output of app-logs.sh, lb-logs.sh or custom-logs.sh, line by line. The script's
 * own lines (`tz`, `files`) count only before the first log line, once each: after it, every
 * line is the log's, so a log cannot speak for the script. Each stream has its own
 * LineRedactor (a key block spans lines); a piece that arrives untagged (a lone CR split the
 * line it was in) stays a line of the stream before it.
 */
export class HostLogReader {
  private started = false;
  private said = new Set<string>();
  private last: Stream = 'out';
  private readonly redactors: Record<Stream, LineRedactor> = { out: new LineRedactor(), err: new LineRedactor(), lb: new LineRedactor() };

  constructor(readonly where: string) {}

  read(raw: string): HostLogRead {
    if (!this.started) {
      const own = /^(tz|files) (.*)$/s.exec(raw);
      if (own && !this.said.has(own[1])) {
        this.said.add(own[1]);
        if (own[1] === 'files') return { files: fromHost(own[2], LOG_LINE_LIMIT) };
        return /^[+-]\d{4}$/.test(own[2].trim()) ? { zone: own[2].trim() } : {};
      }
    }
    const m = /^(out|err|lb) (.*)$/s.exec(raw);
    if (m) this.last = m[1] as Stream;
    else if (!this.started) return {};
    this.started = true;
    const text = this.redactors[this.last].line(m ? m[2] : raw);
    return text === undefined ? {} : { line: { where: this.where, stream: this.last, text: fromHost(text, LOG_LINE_LIMIT) } };
  }
}

/** Where HAProxy logs, from the config's `log` lines, when no file or journal has it. */
export function whereHaproxyLogs(logLines: string[]): string {
  const targets = logLines.map((l) => l.trim().split(/\s+/)[1] ?? '').filter(Boolean);
  const how = 'put `log /dev/log local0` under global and `log global` under defaults, with syslog writing /var/log/haproxy.log (Debian\'s rsyslog does), or read it where it goes';
  if (!targets.length || targets.every((t) => t === 'global')) return `HAProxy logs nowhere: its config has no \`log\` target. To read its log here, ${how}`;
  const said = targets.filter((t) => t !== 'global').map((t) => {
    if (t === 'stdout' || t === 'stderr') return `to its ${t} (whoever starts HAProxy keeps it: systemd's journal, docker logs)`;
    if (t.startsWith('/')) return `to the syslog socket ${t}, which writes it to no file or journal readable here`;
    if (t.startsWith('ring@')) return `to the ring buffer ${t.slice(5)} (show events ${t.slice(5)} on the stats socket)`;
    return `to the syslog server at ${t}`;
  });
  return `HAProxy logs ${[...new Set(said)].join(' and ')}. To read it here, ${how}`;
}
