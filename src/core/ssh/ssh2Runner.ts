import { Duplex } from 'node:stream';
import { Client, ClientChannel } from 'ssh2';
import { BlueGreenError, errorMessage, isBlueGreenError } from '../errors';
import { timeoutText } from '../format';
import { shQuote } from '../shell';
import { ConnectSettings, forward, forwardUnixSocket, openClient } from './connect';
import { CappedBuffer, LineSplitter, PID_MARK, PidAnnouncement, STDERR_LIMIT, STDOUT_LIMIT } from './output';
import { exchange } from './exchange';
import { getOverStream, parseAnswer, requestText } from './httpOverStream';
import { CommandRunner, HostRef, HttpOptions, HttpResult, RunOptions, RunResult } from './runner';
import { ShellRunOptions, ShellSession } from './shellSession';
import { resolveHost } from './sshConfig';

export interface Ssh2RunnerOptions extends ConnectSettings {
  sshConfigFile?: string;
  commandTimeoutMs: number;
  /** Close a connection after this long without a command. */
  idleCloseMs?: number;
}

/** Kinds of work that each get a long-lived shell per host, so none waits behind another. */
type ShellLane = 'probes' | 'http' | 'steps';

const KILL_GRACE_POLLS = 40;

/**
 * The remote shell first prints its pid, then reads the script from stdin. sshd starts each
 * session in a new session/process group led by that shell, so the pid names the group a
 * timeout or cancel kills.
 */
const WRAPPER = `sh -c 'echo "${PID_MARK}$$"; exec sh -s'`;

/** The HTTP lane's shell is bash where there is one: its /dev/tcp makes a request without starting a process. */
const HTTP_WRAPPER = `sh -c 'echo "${PID_MARK}$$"; if command -v bash >/dev/null 2>&1; then unset BASH_ENV ENV; exec bash --norc --noprofile -s; fi; exec sh -s'`;

/** bash reads a socket a byte at a time: a health answer is a few hundred bytes; more is cut. */
const SHELL_ANSWER_LIMIT = 65536;

/**
 * TERM the group, give it two seconds, then KILL. `kill -SIG -PGID` is the form dash accepts.
 * A killed process stays a zombie until its parent (or init) reaps it, and `kill -0` still
 * finds zombies, so the group counts as gone when ps shows none of it but zombies.
 */
function killScript(pid: string): string {
  return [
    `kill -TERM -${pid} 2>/dev/null || kill -TERM ${pid} 2>/dev/null`,
    `alive() { if table=$(ps -eo pgid=,stat= 2>/dev/null); then printf '%s\\n' "$table" | awk '$1 == ${pid} && $2 !~ /^Z/ { found = 1 } END { exit !found }'; else kill -0 -${pid} 2>/dev/null; fi; }`,
    `for i in $(seq ${KILL_GRACE_POLLS}); do alive || exit 0; sleep 0.05; done`,
    `kill -KILL -${pid} 2>/dev/null; true`,
  ].join('\n');
}

class PooledConnection {
  private active = 0;
  private idleTimer?: NodeJS.Timeout;
  lost?: string;
  /** The server forbids TCP forwarding: HTTP requests are made by its shell instead (bash, else curl). */
  tunnelsRefused = false;
  /** The server forbids (or does not offer) stream-local forwarding: Unix sockets go through socat there. */
  unixSocketsRefused = false;

  constructor(
    readonly label: string,
    private readonly client: Client,
    private readonly hops: Client[],
    private readonly idleCloseMs: number,
    onGone: () => void,
  ) {
    const gone = (why: string) => {
      this.lost ??= why;
      onGone();
    };
    client.on('error', (e) => gone(e.message));
    client.on('close', () => gone('connection closed'));
    this.armIdle();
  }

  /** A TCP stream from the host to host:port (direct-tcpip), for tunnelled HTTP. */
  tunnel(host: string, port: number): Promise<Duplex> {
    return this.busy(() => forward(this.client, host, port, this.label));
  }

  /** A stream to a Unix socket on the host (direct-streamlocal). */
  unixSocket(socketPath: string): Promise<Duplex> {
    return this.busy(() => forwardUnixSocket(this.client, socketPath, this.label));
  }

  private readonly sessions = new Map<string, ShellSession>();

  /**
   * A script in a long-lived shell: one per `via` prefix and lane. Probes, HTTP checks made
   * by the host's shell, and short steps each have a lane, so none waits behind another kind.
   */
  inShell(host: HostRef, script: string, o: ShellRunOptions, lane: ShellLane): Promise<RunResult> {
    const prefix = host.via ? `${host.via} ` : '';
    const key = `${lane} ${prefix}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = new ShellSession(this.label, () => this.openChannel(prefix + (lane === 'http' ? HTTP_WRAPPER : WRAPPER)), (pid) => this.killGroup(prefix, pid));
      this.sessions.set(key, session);
    }
    const shell = session;
    return this.busy(() => shell.run(script, o));
  }

  /** Kills a process group from a channel of its own; resolves when done (or after 5 s). */
  killGroup(prefix: string, pid: string | undefined): Promise<void> {
    if (!pid || !/^\d+$/.test(pid)) return Promise.resolve();
    return this.openChannel(`${prefix}sh -c ${shQuote(killScript(pid))}`).then(
      (k) =>
        new Promise<void>((done) => {
          k.on('close', () => done()).resume();
          k.stderr.resume();
          setTimeout(done, 5000).unref();
        }),
    );
  }

  /** Keeps the connection open while `work` runs, and arms the idle timer after. */
  private async busy<T>(work: () => Promise<T>): Promise<T> {
    this.active++;
    clearTimeout(this.idleTimer);
    try {
      return await work();
    } finally {
      this.active--;
      this.armIdle();
    }
  }

  close(): void {
    clearTimeout(this.idleTimer);
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.client.end();
    for (const hop of this.hops) hop.end();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.active === 0) this.idleTimer = setTimeout(() => this.close(), this.idleCloseMs).unref();
  }

  private openChannel(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      try {
        this.client.exec(command, (err, channel) => (err ? reject(err) : resolve(channel)));
      } catch (e) {
        reject(e as Error);
      }
    });
  }

  async run(host: HostRef, script: string, o: RunOptions, timeoutMs: number): Promise<RunResult> {
    const prefix = host.via ? `${host.via} ` : '';
    return this.busy(async () => {
      let channel: ClientChannel;
      try {
        channel = await this.openChannel(prefix + WRAPPER);
      } catch (e) {
        throw new BlueGreenError('connection-lost', `${this.label}: cannot start a command: ${(e as Error).message}`, this.label, { cause: e });
      }
      return this.drive(channel, prefix, script, o, timeoutMs);
    });
  }

  private drive(channel: ClientChannel, prefix: string, script: string, o: RunOptions, timeoutMs: number): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      const announcement = new PidAnnouncement();
      let exit: { code: number | null; signal?: string } | undefined;
      let stopping: BlueGreenError | undefined;
      const stdout = new CappedBuffer(STDOUT_LIMIT, 'head');
      const stderr = new CappedBuffer(STDERR_LIMIT, 'tail');
      const outLines = new LineSplitter((line) => o.onStdout?.(line));
      const errLines = new LineSplitter((line) => o.onStderr?.(line));

      channel.on('data', (chunk: Buffer) => {
        const own = announcement.push(chunk);
        if (!own?.length) return;
        stdout.push(own);
        outLines.push(own);
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        errLines.push(chunk);
      });
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
      });

      const stop = (why: BlueGreenError) => {
        if (stopping) return;
        stopping = why;
        this.killGroup(prefix, announcement.pid)
          .catch(() => undefined)
          .finally(() => channel.close());
      };
      const timer = setTimeout(() => stop(new BlueGreenError('timeout', `${this.label}: the command ran longer than ${timeoutText(timeoutMs)}; its remote processes were killed`, this.label)), timeoutMs);
      const onAbort = () => stop(new BlueGreenError('aborted', `${this.label}: cancelled; the remote processes were killed`, this.label));
      if (o.signal?.aborted) onAbort();
      o.signal?.addEventListener('abort', onAbort, { once: true });

      channel.on('close', (code?: number | null, signal?: string) => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        outLines.end();
        errLines.end();
        if (stopping) return reject(stopping);
        const final = exit ?? (typeof code === 'number' ? { code, signal: signal ?? undefined } : undefined);
        if (!final) {
          return reject(new BlueGreenError('connection-lost', `${this.label}: the connection ended before the command reported an exit status (${this.lost ?? 'no status sent'}); it may still be running there`, this.label));
        }
        resolve({ code: final.code, signal: final.signal, stdout: stdout.text(), stderr: stderr.text() });
      });
      const text = script.endsWith('\n') ? script : `${script}\n`;
      if (o.holdStdinUntil) {
        channel.write(text);
        const release = () => channel.end();
        if (o.holdStdinUntil.aborted) release();
        else o.holdStdinUntil.addEventListener('abort', release, { once: true });
      } else {
        channel.end(text);
      }
    });
  }
}

/** Runs commands over one pooled ssh2 connection per host. */
export class Ssh2Runner implements CommandRunner {
  private readonly pool = new Map<string, Promise<PooledConnection>>();
  private disposed = false;

  constructor(private readonly options: Ssh2RunnerOptions) {}

  async run(host: HostRef, script: string, o: RunOptions = {}): Promise<RunResult> {
    if (this.disposed) throw new BlueGreenError('aborted', 'the SSH runner was disposed');
    const conn = await this.connection(host.ssh);
    const timeoutMs = o.timeoutMs ?? this.options.commandTimeoutMs;
    const lane: ShellLane | undefined = o.holdStdinUntil ? undefined : o.probe ? 'probes' : o.shortStep ? 'steps' : undefined;
    if (lane) return conn.inShell(host, script, { timeoutMs, onStdout: o.onStdout, onStderr: o.onStderr, signal: o.signal }, lane);
    return conn.run(host, script, o, timeoutMs);
  }

  async httpGet(host: HostRef, url: string, o: HttpOptions): Promise<HttpResult> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const port = Number(target.port || (secure ? 443 : 80));
    const conn = await this.connection(host.ssh);
    if (conn.tunnelsRefused) return this.getFromShell(conn, host, url, o);
    const started = Date.now();
    let stream: Duplex;
    try {
      stream = await conn.tunnel(target.hostname.replace(/^\[|\]$/g, ''), port);
    } catch (e) {
      if (!isBlueGreenError(e, 'tunnel-refused')) throw e;
      conn.tunnelsRefused = true;
      return this.getFromShell(conn, host, url, o);
    }
    const answer = await getOverStream(stream, url, o);
    return { ...answer, ms: Date.now() - started };
  }

  async askUnixSocket(host: HostRef, socketPath: string, line: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
    const conn = await this.connection(host.ssh);
    // A `via` prefix (a container, sudo) means the socket is only reachable through the shell.
    if (host.via || conn.unixSocketsRefused) return this.askUnixSocketWithShell(conn, host, socketPath, line, o.timeoutMs);
    let stream: Duplex;
    try {
      stream = await conn.unixSocket(socketPath);
    } catch (e) {
      if (isBlueGreenError(e, 'tunnel-refused')) conn.unixSocketsRefused = true;
      // The shell's socat or nc says why in its own words (no such file, permission denied).
      return this.askUnixSocketWithShell(conn, host, socketPath, line, o.timeoutMs);
    }
    return exchange(stream, `${line}\n`, { ...o, label: `${socketPath} on ${host.ssh}`, host: host.ssh }, (data, ended) => (ended ? data.toString('utf8') : undefined));
  }

  private async askUnixSocketWithShell(conn: PooledConnection, host: HostRef, socketPath: string, line: string, timeoutMs: number): Promise<string> {
    const q = shQuote(socketPath);
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const script = `if command -v socat >/dev/null 2>&1; then printf '%s\\n' ${shQuote(line)} | socat -t ${seconds} - UNIX-CONNECT:${q}; elif command -v nc >/dev/null 2>&1; then printf '%s\\n' ${shQuote(line)} | nc -U -w ${seconds} ${q}; else echo 'neither socat nor nc is installed, and the host does not allow stream-local forwarding' >&2; exit 127; fi`;
    const r = await conn.inShell(host, script, { timeoutMs: timeoutMs + 5000 }, 'probes');
    if (r.code !== 0) throw new BlueGreenError('connect-failed', `${socketPath} on ${host.ssh}: ${r.stderr.trim().split('\n').pop() || `exit ${r.code}`}`, host.ssh);
    return r.stdout;
  }

  /**
   * The same GET made by the host's shell, for servers that forbid TCP forwarding: bash's
   * /dev/tcp for plain HTTP (no process to start, where curl costs a process start each time),
   * else curl (raw: headers, and the body as sent, chunked or not). Both hand back the raw
   * answer, read as a tunnelled one is.
   */
  private async getFromShell(conn: PooledConnection, host: HostRef, url: string, o: HttpOptions): Promise<HttpResult> {
    const target = new URL(url);
    const seconds = (o.timeoutMs / 1000).toFixed(1);
    const hostHeader = o.hostHeader ?? target.host;
    const port = target.port || (target.protocol === 'https:' ? '443' : '80');
    const script = [
      `case "\${BASH_VERSION:-}" in [4-9].*|[1-9][0-9].*) bash=1;; *) bash=;; esac`,
      `if [ -n "$bash" ] && [ ${shQuote(target.protocol)} = http: ]; then`,
      // bash's own words for a refused connect name its line number and /dev/tcp: the exit code says it.
      `  { exec 3<>/dev/tcp/${shQuote(target.hostname.replace(/^\[|\]$/g, ''))}/${port}; } 2>/dev/null || { echo 'bash: /dev/tcp: connect failed' >&2; exit 7; }`,
      `  printf '%s' ${shQuote(requestText(url, hostHeader))} >&3`,
      `  IFS= read -r -N ${SHELL_ANSWER_LIMIT} -t ${seconds} answer <&3; [ $? -gt 128 ] && { echo 'no answer within ${seconds} s' >&2; exit 28; }`,
      `  printf '%s' "$answer"`,
      `elif command -v curl >/dev/null 2>&1; then curl -sS -i --raw --http1.1 --max-time ${seconds} -H ${shQuote(`Host: ${hostHeader}`)} ${shQuote(url)}`,
      `else echo 'no bash or curl on this host to make the request, and it does not allow TCP forwarding' >&2; exit 127; fi`,
    ].join('\n');
    const started = Date.now();
    let r: RunResult;
    try {
      // bash cannot time out a connect: the session's own timeout ends it (and the shell with it).
      r = await conn.inShell(host, script, { timeoutMs: o.timeoutMs + 1000, signal: o.signal }, 'http');
    } catch (e) {
      if (isBlueGreenError(e, 'timeout')) throw new BlueGreenError('timeout', `${url} from ${host.ssh}: no answer within ${timeoutText(o.timeoutMs)}`, host.ssh, { cause: e });
      throw e;
    }
    const ms = Date.now() - started;
    if (r.code !== 0 || !r.stdout) {
      // Exit codes shared by the bash path and curl's.
      const why = r.code === 7 ? 'connection refused' : r.code === 28 ? `no answer within ${timeoutText(o.timeoutMs)}` : r.code === 6 ? `cannot resolve ${target.hostname}` : r.stderr.trim().split('\n').pop() || `exit ${r.code}`;
      const raw = r.stderr.trim() || `exit ${r.code}`;
      throw new BlueGreenError(r.code === 28 ? 'timeout' : 'connect-failed', `${url} from ${host.ssh}: ${why}`, host.ssh, { cause: new Error(raw) });
    }
    try {
      return { ...parseAnswer(Buffer.from(r.stdout, 'utf8'), true)!, ms };
    } catch (e) {
      throw new BlueGreenError('connect-failed', `${url} from ${host.ssh}: ${errorMessage(e)}`, host.ssh, { cause: e });
    }
  }

  /** Number of open connections, by host spec (for tests and the output channel). */
  get openHosts(): string[] {
    return [...this.pool.keys()];
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pool.values()) p.then((c) => c.close(), () => undefined);
    this.pool.clear();
  }

  private connection(spec: string): Promise<PooledConnection> {
    let pending = this.pool.get(spec);
    if (!pending) {
      const opening = this.open(spec, () => {
        if (this.pool.get(spec) === opening) this.pool.delete(spec);
      });
      pending = opening;
      this.pool.set(spec, opening);
      opening.catch(() => {
        if (this.pool.get(spec) === opening) this.pool.delete(spec);
      });
    }
    return pending;
  }

  private async open(spec: string, onGone: () => void): Promise<PooledConnection> {
    const target = await resolveHost(spec, this.options.sshConfigFile);
    const hops: Client[] = [];
    try {
      // ProxyJump: each hop is reached through a TCP stream from the one before it.
      let previous: Client | undefined;
      let previousLabel = '';
      for (const hopSpec of target.proxyJump) {
        const hop = await resolveHost(hopSpec, this.options.sshConfigFile);
        const sock = previous ? await forward(previous, hop.hostname, hop.port, `jump host ${previousLabel}`) : undefined;
        previous = await openClient(hop, this.options, sock);
        previousLabel = hopSpec;
        hops.push(previous);
      }
      const sock = previous ? await forward(previous, target.hostname, target.port, `jump host ${previousLabel}`) : undefined;
      const client = await openClient(target, this.options, sock);
      return new PooledConnection(spec, client, hops, this.options.idleCloseMs ?? 5 * 60_000, onGone);
    } catch (e) {
      for (const hop of hops) hop.end();
      throw e;
    }
  }
}
