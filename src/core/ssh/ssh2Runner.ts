import { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { BlueGreenError, isBlueGreenError } from '../errors';
import { ConnectSettings, forward, openClient } from './connect';
import { exchange } from './exchange';
import { getOverStream } from './httpOverStream';
import { PooledConnection } from './pooledConnection';
import { CommandRunner, HostRef, HttpOptions, HttpResult, Lane, RunOptions, RunResult } from './runner';
import { askUnixSocketWithShell, getWithShell, LaneRunner } from './shellFallbacks';
import { machineOf, resolveHost } from './sshConfig';

export interface Ssh2RunnerOptions extends ConnectSettings {
  sshConfigFile?: string;
  commandTimeoutMs: number;
  /** Close a connection after this long without a command. */
  idleCloseMs?: number;
}

/** Runs commands over one pooled ssh2 connection per host. */
export class Ssh2Runner implements CommandRunner {
  private readonly pool = new Map<string, Promise<PooledConnection>>();
  private disposed = false;

  constructor(private readonly options: Ssh2RunnerOptions) {}

  async run(host: HostRef, script: string, o: RunOptions = {}): Promise<RunResult> {
    if (this.disposed) throw new BlueGreenError('aborted', 'the SSH runner was disposed');
    const conn = await this.connection(host.ssh);
    const execution = { timeoutMs: o.timeoutMs ?? this.options.commandTimeoutMs, onStdout: o.onStdout, onStderr: o.onStderr, signal: o.signal };
    if (o.lane && o.holdStdinUntil) throw new BlueGreenError('unsafe-value', 'a command that holds stdin open runs on a channel of its own, not in a lane');
    return o.lane ? conn.inShell(host, o.lane, script, execution) : conn.inChannel(host, script, { ...execution, holdStdinUntil: o.holdStdinUntil });
  }

  async whereIs(host: HostRef): Promise<string> {
    const machine = machineOf(resolveHost(host.ssh, this.options.sshConfigFile));
    return `${machine}${host.via ? ` via ${host.via}` : ''}`;
  }

  warm(host: HostRef, lane: Lane): void {
    if (this.disposed) return;
    void this.connection(host.ssh)
      .then((conn) => conn.warm(host, lane))
      .catch(() => undefined);
  }

  async httpGet(host: HostRef, url: string, o: HttpOptions): Promise<HttpResult> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const port = Number(target.port || (secure ? 443 : 80));
    const conn = await this.connection(host.ssh);
    if (conn.tunnelsRefused) return getWithShell(this.lanes(conn, host), host, url, o);
    const started = Date.now();
    let stream: Duplex;
    try {
      stream = await conn.tunnel(target.hostname.replace(/^\[|\]$/g, ''), port);
    } catch (e) {
      if (!isBlueGreenError(e, 'tunnel-refused')) throw e;
      conn.tunnelsRefused = true;
      return getWithShell(this.lanes(conn, host), host, url, o);
    }
    const answer = await getOverStream(stream, url, o);
    return { ...answer, ms: Date.now() - started };
  }

  async askUnixSocket(host: HostRef, socketPath: string, line: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
    const conn = await this.connection(host.ssh);
    // A `via` prefix (a container, sudo) means the socket is only reachable through the shell.
    if (host.via || conn.unixSocketsRefused) return askUnixSocketWithShell(this.lanes(conn, host), host, socketPath, line, o.timeoutMs);
    let stream: Duplex;
    try {
      stream = await conn.unixSocket(socketPath);
    } catch (e) {
      if (isBlueGreenError(e, 'tunnel-refused')) conn.unixSocketsRefused = true;
      // The shell's socat or nc says why in its own words (no such file, permission denied).
      return askUnixSocketWithShell(this.lanes(conn, host), host, socketPath, line, o.timeoutMs);
    }
    return exchange(stream, `${line}\n`, { ...o, label: `${socketPath} on ${host.ssh}`, host: host.ssh, endAfterRequest: true }, (data, ended) => (ended ? data.toString('utf8') : undefined));
  }

  private lanes(conn: PooledConnection, host: HostRef): LaneRunner {
    return (lane, script, o) => conn.inShell(host, lane, script, o);
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
    const target = resolveHost(spec, this.options.sshConfigFile);
    const hops: Client[] = [];
    try {
      // ProxyJump: each hop is reached through a TCP stream from the one before it.
      let previous: Client | undefined;
      let previousLabel = '';
      for (const hopSpec of target.proxyJump) {
        const hop = resolveHost(hopSpec, this.options.sshConfigFile);
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
