import { logLineText } from '../status/logLines';
import { LogsRequest, LogsResult } from '../workflows/logs';

/** What get_logs may answer in all: the newest lines that fit, the older ones counted. */
export const AGENT_LOGS_CHARS = 40_000;

/**
 * get_logs' answer as the agent reads it: what was read and from where, then one line per log
 * line ("GREEN web-1 | text", "!" for the error stream), bounded to AGENT_LOGS_CHARS by leaving
 * out the oldest lines and saying how many.
 */
export function logsAnswer(result: LogsResult, asked: Pick<LogsRequest, 'lines' | 'since' | 'filter'>): string {
  const what = [`the last ${asked.lines} lines of each server`, asked.since ? `since ${asked.since}` : '', asked.filter ? `holding "${asked.filter}"` : ''].filter(Boolean).join(', ');
  // Where each host read from: what the hosts say, so bounded like the rest (the first few, each cut).
  const sources = result.sources.slice(0, SOURCES_SHOWN).map((s) => `Read from ${cut(s, SOURCE_CHARS)}.`);
  if (result.sources.length > SOURCES_SHOWN) sources.push(`(and ${result.sources.length - SOURCES_SHOWN} more hosts)`);
  const head = [`Logs of ${result.title}: ${what}.`, ...sources, ...(result.note ? [cut(result.note, SOURCE_CHARS * 4)] : [])];
  const body = result.lines.map(logLineText);
  const footer = [...(!body.length && !result.note ? ['No lines.'] : []), ...(result.dropped ? [`${result.dropped} lines were dropped by the flood bound.`] : [])];
  const leftOut = (n: number) => `(${n} older line${n > 1 ? 's' : ''} left out: the answer holds at most ${AGENT_LOGS_CHARS} characters; ask for fewer lines, a since or a filter)`;
  // What is not the log's lines is counted first, the note on lines left out at its longest.
  let room = AGENT_LOGS_CHARS - [...head, ...footer, leftOut(body.length)].join('\n').length - 1;
  let first = body.length;
  while (first > 0 && room - (body[first - 1].length + 1) >= 0) {
    room -= body[first - 1].length + 1;
    first--;
  }
  return [...head, ...(first > 0 ? [leftOut(first)] : []), ...body.slice(first), ...footer].join('\n');
}

const SOURCES_SHOWN = 16;
const SOURCE_CHARS = 300;

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
