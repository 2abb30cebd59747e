import { fromHost } from '../hostText';
import { LOG_LINE_LIMIT, LogLine } from './logLines';

/**
 * `since` for log lines: the time the person or agent gave, and each line's own time as the line
 * says it. App logs carry no time of their own (pm2 adds none unless told), so a line's time is
 * where loggers put it: an ISO 8601 time at its start (pm2's `--time`, journald's short-iso,
 * rsyslog), a syslog prefix ("Dec  5 07:04:36"), or a JSON line's time field (winston, pino). A
 * date anywhere else is the message's, not the line's. A time without a
 * zone is the host's local time (`tz`, from the host's `date +%z`). Written here: no package reads
 * the times of arbitrary log lines.
 */

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const SINCE_PATTERN = '^([1-9][0-9]{0,5}[smhd]|[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)$';
export const SINCE_HELP = 'a duration back from now (30s, 15m, 2h, 1d) or a time (2026-12-05, 2026-12-05T07:00, 2026-12-05T07:00:00Z)';

/** The moment `since` names, in ms; a time without a zone is this machine's local time. Throws with what to write instead. */
export function sinceMoment(since: string, now: number): number {
  if (!new RegExp(SINCE_PATTERN).test(since)) throw new Error(`since "${since}" is not ${SINCE_HELP}`);
  const duration = /^(\d+)([smhd])$/.exec(since);
  if (duration) return now - Number(duration[1]) * UNITS[duration[2]];
  // Date.parse reads a zone only as "Z" or "+01:00", and a time without one as local time.
  const t = Date.parse((since.length === 10 ? `${since}T00:00` : since.replace(' ', 'T')).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(t)) throw new Error(`since "${since}" is not a real date or time`);
  return t;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|[+-]\d{2}:?\d{2})?/;
/** A time of a 12-hour clock: not read (02:15 PM is not 02:15). */
const TWELVE_HOUR = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*[AaPp]\.?[Mm]\b/;
const SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})\b/;
const JSON_ISO = /"(?:timestamp|time|@timestamp|ts)"\s*:\s*"([^"]{10,40})"/;
const JSON_EPOCH_MS = /"(?:time|timestamp|ts)"\s*:\s*(\d{13})\b/;

/** Minutes east of UTC for "+0100", "-05:30", "Z". */
function zoneMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function isoTime(text: string, hostZone: string): number | undefined {
  if (TWELVE_HOUR.test(text)) return undefined;
  const iso = ISO.exec(text);
  if (!iso) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = iso;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0').slice(0, 3)));
  return utc - zoneMinutes(zone ?? hostZone) * 60_000;
}

/**
 * The time `text` says it was written, in ms, or undefined when it says none. Only where a
 * logger puts its time: at the line's start (after a `[`), or a JSON line's own time field
 * (`timestamp`, `time`, `@timestamp`, `ts`; pino's epoch ms). A date elsewhere is the message's
 * ("invoice due 2024-01-31 00:00"), not the line's. `hostZone`: "+0000" from the host.
 */
export function lineTime(text: string, hostZone: string, now: number): number | undefined {
  const head = text.startsWith('[') ? text.slice(1) : text;
  const atStart = isoTime(head, hostZone);
  if (atStart !== undefined) return atStart;
  const sys = SYSLOG.exec(head);
  if (sys && MONTHS.includes(sys[1])) {
    const at = (year: number) => Date.UTC(year, MONTHS.indexOf(sys[1]), Number(sys[2]), +sys[3], +sys[4], +sys[5]) - zoneMinutes(hostZone) * 60_000;
    // Syslog says no year: this year's, unless that is more than a day ahead (a December line read in January).
    const year = new Date(now).getUTCFullYear();
    return at(year) > now + 86_400_000 ? at(year - 1) : at(year);
  }
  if (!head.trimStart().startsWith('{')) return undefined;
  const epoch = JSON_EPOCH_MS.exec(head);
  if (epoch) return Number(epoch[1]);
  const field = JSON_ISO.exec(head);
  return field ? isoTime(field[1], hostZone) : undefined;
}

/**
 * Keeps the lines written at or after `from`, per host and stream: a line without a time (a stack
 * trace's next lines) goes with the timed line before it; the untimed lines before the first
 * timed one go with that one. When a stream has no timed line at all, `since` cannot be applied:
 * its lines are all kept, with a note that says so.
 */
export class SinceFilter {
  private readonly streams = new Map<string, { keep?: boolean; held: LogLine[] }>();
  private readonly zones = new Map<string, string>();

  constructor(
    private readonly from: number,
    private readonly now: number,
  ) {}

  /** The host's `date +%z`, for its lines that carry no zone. */
  zone(where: string, zone: string): void {
    this.zones.set(where, zone);
  }

  offer(line: LogLine): LogLine[] {
    if (line.stream === 'note') return [line];
    const key = `${line.where}\0${line.stream}`;
    const s = this.streams.get(key) ?? { held: [] };
    this.streams.set(key, s);
    const t = lineTime(line.text, this.zones.get(line.where) ?? '+0000', this.now);
    if (t === undefined) {
      if (s.keep === undefined) {
        s.held.push(line);
        return [];
      }
      return s.keep ? [line] : [];
    }
    s.keep = t >= this.from;
    const held = s.held;
    s.held = [];
    return s.keep ? [...held, line] : [];
  }

  /** At the end: the lines of streams that never said a time, after a note that `since` did not apply to them. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const s of this.streams.values()) {
      if (s.keep !== undefined || !s.held.length) continue;
      const { where, stream } = s.held[0];
      out.push({ where, stream: 'note', text: fromHost(`these ${stream} lines say no time, so since cannot pick among them: all ${s.held.length} are shown`, LOG_LINE_LIMIT) }, ...s.held);
      s.held = [];
    }
    return out;
  }
}
