/** Where a command runs: a configured host, optionally behind a command prefix. */
export interface HostRef {
  /** ssh_config alias or user@host[:port]. */
  ssh: string;
  /** Words put before the remote shell (`pct exec 136 --`, `sudo`); validated by the config. */
  via?: string;
}

/** A kind of work that gets a long-lived shell per host, so none waits behind another. */
export type Lane = 'probe' | 'http' | 'step';

export interface RunOptions {
  /** Each complete line of remote stdout, as it arrives. */
  onStdout?(line: string): void;
  onStderr?(line: string): void;
  signal?: AbortSignal;
  /** Overrides the runner's default command timeout. */
  timeoutMs?: number;
  /**
   * Keep the remote stdin open after the script until this signal fires (then send EOF).
   * A script ending in `cat >/dev/null` then lives exactly as long as the caller wants — or
   * until the connection drops, which also ends it. Used to hold a remote lock.
   */
  holdStdinUntil?: AbortSignal;
  /**
   * Which of the host's long-lived shells runs the script, instead of a channel of its own (no
   * session setup): `probe` for short reads, `http` for checks the host's shell makes, `step`
   * for short steps that change something (the switch, the state file). Without a lane, a
   * channel of its own: long steps, and a script that holds stdin open.
   */
  lane?: Lane;
}

export interface RunResult {
  /** Exit code; null when the remote was killed by a signal or sent no status. */
  code: number | null;
  signal?: string;
  stdout: string;
  /** The last part of stderr (capped). */
  stderr: string;
}

export interface HttpOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** E.g. the public Host header, when the URL names the LB's own address. */
  hostHeader?: string;
}

export interface HttpResult {
  status: number;
  body: string;
  /** From sending the request to the end of the response. */
  ms: number;
}

/** The port through which the core runs every remote command. */
export interface CommandRunner {
  /** Sends `script` to `sh -s` on the host. Rejects only when the command could not run to an outcome. */
  run(host: HostRef, script: string, options?: RunOptions): Promise<RunResult>;
  /**
   * An HTTP GET made from the host's network (tunnelled through its SSH connection), for
   * addresses only that network reaches. Rejects on connection failure or timeout.
   */
  httpGet(host: HostRef, url: string, options: HttpOptions): Promise<HttpResult>;
  /**
   * Sends one line to a Unix socket on the host (HAProxy's stats socket) and returns
   * everything it answers until it closes the connection. Rejects when it cannot connect.
   */
  askUnixSocket(host: HostRef, socketPath: string, line: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<string>;
  /**
   * The machine a host reaches, as ssh_config resolves it ("10.0.0.5:22", with its `via`
   * prefix): two aliases of one machine give the same answer.
   */
  whereIs(host: HostRef): Promise<string>;
  /** Opens the lane's shell on the host now (a dialog is up), so the next script does not wait for it. */
  warm(host: HostRef, lane: Lane): void;
  dispose(): void;
}

export function succeeded(r: RunResult): boolean {
  return r.code === 0 && r.signal === undefined;
}

/** What the UI or CLI decides when SSH needs a person. */
export interface SshPrompts {
  /** A host key not in known_hosts: resolve true to trust it for this session. */
  confirmUnknownHostKey(info: { host: string; port: number; keyType: string; fingerprint: string }): Promise<boolean>;
  /** The passphrase for an encrypted key file, or undefined to skip that key. */
  askPassphrase(keyFile: string): Promise<string | undefined>;
}

export const REFUSE_PROMPTS: SshPrompts = {
  confirmUnknownHostKey: async () => false,
  askPassphrase: async () => undefined,
};
