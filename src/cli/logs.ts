import { ParsedArgs, UsageError } from '../bin/args';
import { redact } from '../core/redact';
import { printOut, writeErr } from '../core/stdio';
import { errorMessage } from '../core/errors';
import { LOG_TARGETS, LogLine, logLineText, LogTarget } from '../core/status/logLines';
import { sinceMoment } from '../core/status/logSince';
import { MAX_LOG_LINES, readLogs } from '../core/workflows/logs';
import { CommandRunner } from '../core/ssh/runner';
import { OperationContext } from '../core/workflows/parts/operation';

/** `bluegreen logs`: lines on stdout as they come, where they came from first; notes on stderr. */
export async function logsCommand(c: { args: ParsedArgs; runner: CommandRunner; operation(): OperationContext }): Promise<number> {
  const { values } = c.args;
  const target = (values.slot ?? 'standby') as LogTarget;
  if (!LOG_TARGETS.includes(target)) throw new UsageError(`--slot takes ${LOG_TARGETS.join(', ')}, not "${values.slot}"`);
  const lines = values.lines === undefined ? 100 : Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > MAX_LOG_LINES) throw new UsageError(`--lines takes a whole number from 1 to ${MAX_LOG_LINES}`);
  if (values.since !== undefined && values.follow) throw new UsageError('--since picks among the lines already written; use it without --follow');
  if (values.since !== undefined) {
    try {
      sinceMoment(values.since, Date.now());
    } catch (e) {
      throw new UsageError(`--${errorMessage(e)}`);
    }
  }
  const ctx = c.operation();
  const print = (l: LogLine) => (l.stream === 'note' ? writeErr(redact(`${logLineText(l)}\n`)) : printOut(redact(logLineText(l))));
  const r = await readLogs(c.runner, ctx.app, { target, lines, follow: values.follow ?? false, filter: values.filter, since: values.since, signal: ctx.signal, onLine: print });
  if (r.note) printOut(redact(r.note));
  return 0;
}
