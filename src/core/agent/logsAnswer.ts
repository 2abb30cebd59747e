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
  const head = [`Logs of ${result.title}: ${what}.`, ...result.sources.map((s) => `Read from ${s}.`)];
  if (result.note) head.push(result.note);
  const body = result.lines.map(logLineText);
  let room = AGENT_LOGS_CHARS - head.join('\n').length;
  let first = body.length;
  while (first > 0 && room - (body[first - 1].length + 1) >= 0) {
    room -= body[first - 1].length + 1;
    first--;
  }
  const tail = [
    ...(first > 0 ? [`(${first} older line${first > 1 ? 's' : ''} left out: the answer holds at most ${AGENT_LOGS_CHARS} characters; ask for fewer lines, a since or a filter)`] : []),
    ...body.slice(first),
    ...(!body.length && !result.note ? ['No lines.'] : []),
    ...(result.dropped ? [`${result.dropped} lines were dropped by the flood bound.`] : []),
  ];
  return [...head, ...tail].join('\n');
}
