import { BlueGreenError, errorMessage, isBlueGreenError } from '../errors';
import { timeoutText } from '../format';
import { remote } from '../remote/scripts';
import { parseAnswer, requestText } from './httpOverStream';
import { HostRef, HttpOptions, HttpResult, Lane, RunResult } from './runner';
import { ExecutionOptions } from './execution';

/** Runs a script in one of the host's long-lived shells. */
export type LaneRunner = (lane: Lane, script: string, o: ExecutionOptions) => Promise<RunResult>;

/** bash reads a socket a byte at a time: a health answer is a few hundred bytes; more is cut. */
const SHELL_ANSWER_LIMIT = 65536;

/** A line to a Unix socket and its whole answer, by the host's socat or nc: for hosts that forbid stream-local forwarding. */
export async function askUnixSocketWithShell(run: LaneRunner, host: HostRef, socketPath: string, line: string, timeoutMs: number): Promise<string> {
  const script = remote.unixSocket(socketPath, line, Math.max(1, Math.ceil(timeoutMs / 1000)));
  const r = await run('probe', script, { timeoutMs: timeoutMs + 5000 });
  if (r.code !== 0) throw new BlueGreenError('connect-failed', `${socketPath} on ${host.ssh}: ${r.stderr.trim().split('\n').pop() || `exit ${r.code}`}`, host.ssh);
  return r.stdout;
}

/**
 * The same GET made by the host's shell, for servers that forbid TCP forwarding: bash's
 * /dev/tcp for plain HTTP (no process to start, where curl costs a process start each time),
 * else curl (raw: headers, and the body as sent, chunked or not). Both hand back the raw
 * answer, read as a tunnelled one is.
 */
export async function getWithShell(run: LaneRunner, host: HostRef, url: string, o: HttpOptions): Promise<HttpResult> {
  const target = new URL(url);
  const seconds = (o.timeoutMs / 1000).toFixed(1);
  const hostHeader = o.hostHeader ?? target.host;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const script = remote.httpGet(url, target.protocol, target.hostname.replace(/^\[|\]$/g, ''), port, requestText(url, hostHeader), seconds, hostHeader, SHELL_ANSWER_LIMIT);
  const started = Date.now();
  let r: RunResult;
  try {
    // bash cannot time out a connect: the execution's own timeout ends it (and the shell with it).
    r = await run('http', script, { timeoutMs: o.timeoutMs + 1000, signal: o.signal });
  } catch (e) {
    if (isBlueGreenError(e, 'timeout')) throw new BlueGreenError('timeout', `${url} from ${host.ssh}: no answer within ${timeoutText(o.timeoutMs)}`, host.ssh, { cause: e });
    throw e;
  }
  const ms = Date.now() - started;
  if (r.code !== 0 || !r.stdout) {
    // Exit codes shared by the bash path and curl's.
    const why = r.code === 7 ? 'connection refused' : r.code === 28 ? `no answer within ${timeoutText(o.timeoutMs)}` : r.code === 6 ? `cannot resolve ${target.hostname}` : r.stderr.trim().split('\n').pop() || `exit ${r.code}`;
    throw new BlueGreenError(r.code === 28 ? 'timeout' : 'connect-failed', `${url} from ${host.ssh}: ${why}`, host.ssh, { cause: new Error(r.stderr.trim() || `exit ${r.code}`) });
  }
  try {
    return { ...parseAnswer(Buffer.from(r.stdout, 'utf8'), true)!, ms };
  } catch (e) {
    throw new BlueGreenError('connect-failed', `${url} from ${host.ssh}: ${errorMessage(e)}`, host.ssh, { cause: e });
  }
}
