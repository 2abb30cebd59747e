import { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { BlueGreenError } from '../errors';
import { remote } from '../remote/scripts';
import { shQuote } from '../shell';
import { forward, forwardUnixSocket } from './connect';
import { Execution, ExecutionOptions } from './execution';
import { PID_MARK, PidAnnouncement } from './output';
import { HostRef, Lane, RunResult } from './runner';
import { ShellSession } from './shellSession';


/**
 * The remote shell first prints its pid, then reads the script from stdin. sshd starts each
 * session in a new session/process group led by that shell, so the pid names the group a
 * timeout or cancel kills.
 */
const WRAPPER = `sh -c 'echo "${PID_MARK}$$"; exec sh -s'`;

/**
 * The same, for a long step on a channel of its own, which must not outlive its connection:
 * without a terminal nothing tells its processes the client is gone, and an `npm ci` would go
 * on after the deploy said it failed and gave the lock back. A watcher beside the shell checks
 * every 2 s that the connection's sshd process (the shell's parent) still lives, TERMs the
 * group once it does not, and ends with the shell. (Behind a `via` wrapper the parent is the
 * wrapper, which may outlive the connection.) The long-lived lane shells run short scripts only.
 */
const STEP_WRAPPER = `sh -c 'echo "${PID_MARK}$$"; s=$PPID; (while kill -0 $$ && kill -0 "$s"; do sleep 2; done; kill -0 $$ && kill -TERM -$$) </dev/null >/dev/null 2>&1 & exec sh -s'`;

/** The HTTP lane's shell is bash where there is one: its /dev/tcp makes a request without starting a process. */
const HTTP_WRAPPER = `sh -c 'echo "${PID_MARK}$$"; if command -v bash >/dev/null 2>&1; then unset BASH_ENV ENV; exec bash --norc --noprofile -s; fi; exec sh -s'`;

/** One authenticated connection to a host: its channels, forwards and long-lived shells. */
export class PooledConnection {
  private active = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly sessions = new Map<string, ShellSession>();
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

  /**
   * A script in the lane's long-lived shell (one per `via` prefix and lane), so probes, HTTP
   * checks made by the host's shell, and short steps never wait behind one another.
   */
  inShell(host: HostRef, lane: Lane, script: string, o: ExecutionOptions): Promise<RunResult> {
    const shell = this.shell(host, lane);
    return this.busy(() => shell.run(script, o));
  }

  warm(host: HostRef, lane: Lane): Promise<void> {
    const shell = this.shell(host, lane);
    return this.busy(() => shell.warm());
  }

  /** A script on a channel of its own: long steps, and the lock (whose stdin stays open). */
  inChannel(host: HostRef, script: string, o: ExecutionOptions & { holdStdinUntil?: AbortSignal }): Promise<RunResult> {
    const prefix = host.via ? `${host.via} ` : '';
    return this.busy(async () => {
      let channel: ClientChannel;
      try {
        channel = await this.openChannel(prefix + STEP_WRAPPER);
      } catch (e) {
        throw new BlueGreenError('connection-lost', `${this.label}: cannot start a command: ${(e as Error).message}`, this.label, { cause: e });
      }
      const announcement = new PidAnnouncement();
      const execution = new Execution(this.label, o, async () => {
        await this.killGroup(prefix, announcement.pid);
        channel.close();
      });
      let exit: { code: number | null; signal?: string } | undefined;
      channel.on('data', (chunk: Buffer) => {
        const own = announcement.push(chunk);
        if (own) execution.stdout(own);
      });
      channel.stderr.on('data', (chunk: Buffer) => execution.stderr(chunk));
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
      });
      channel.on('close', (code?: number | null, signal?: string) => {
        const final = exit ?? (typeof code === 'number' ? { code, signal: signal ?? undefined } : undefined);
        if (final) execution.exited(final.code, final.signal);
        else execution.lost(`the connection ended without an exit status (${this.lost ?? 'no status sent'})`);
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
      return execution.result;
    });
  }

  close(): void {
    clearTimeout(this.idleTimer);
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.client.end();
    for (const hop of this.hops) hop.end();
  }

  private shell(host: HostRef, lane: Lane): ShellSession {
    const prefix = host.via ? `${host.via} ` : '';
    const key = `${lane} ${prefix}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = new ShellSession(this.label, () => this.openChannel(prefix + (lane === 'http' ? HTTP_WRAPPER : WRAPPER)), (pid) => this.killGroup(prefix, pid));
      this.sessions.set(key, session);
    }
    return session;
  }

  /** Kills a process group from a channel of its own; resolves when done (or after 5 s). */
  private killGroup(prefix: string, pid: string | undefined): Promise<void> {
    if (!pid || !/^\d+$/.test(pid)) return Promise.resolve();
    return this.openChannel(`${prefix}sh -c ${shQuote(remote.killGroupText)} sh ${pid}`).then(
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
}
