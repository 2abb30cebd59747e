import { readFile } from 'node:fs/promises';
import { Duplex } from 'node:stream';
import type { AnyAuthMethod, AuthenticationType, Client as Ssh2Client, ClientChannel, ConnectConfig } from 'ssh2';
import { Client } from './ssh2Client';
import { BlueGreenError, ErrorReason } from '../errors';
import { checkHostKey, fingerprintOf, hostKeyAlgorithmsFor, KnownHostEntry, keyTypeOf, parseKnownHosts, parseRevokedKeys } from './knownHosts';
import { loadPrivateKey } from './keys';
import { SshPrompts } from './runner';
import { ResolvedHost } from './sshConfig';
import { connectTcp } from './tcp';

export interface ConnectSettings {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Overrides the host's UserKnownHostsFile list. */
  knownHostsFile?: string;
  prompts: SshPrompts;
}

/** Missing files are empty; a file that exists but cannot be read is a refusal. */
async function readKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    try {
      entries.push(...parseKnownHosts(await readFile(file, 'utf8'), file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new BlueGreenError('known-hosts-unreadable', `cannot read known_hosts file ${file} (${(e as Error).message}); refusing to connect without verifying host keys`, undefined, { cause: e });
    }
  }
  return entries;
}

/** OpenSSH refuses every host when the RevokedHostKeys file cannot be read; so do we. */
async function readRevokedKeys(file: string): Promise<string[]> {
  try {
    return parseRevokedKeys(await readFile(file), file);
  } catch (e) {
    throw new BlueGreenError('known-hosts-unreadable', `cannot use RevokedHostKeys ${file} (${(e as Error).message}); refusing to connect`, undefined, { cause: e });
  }
}

/** Opens one authenticated ssh2 connection; `sock` carries it through a jump host. */
export async function openClient(host: ResolvedHost, settings: ConnectSettings, sock?: Duplex): Promise<Ssh2Client> {
  const label = host.spec;
  // As OpenSSH: the user's files (or bluegreen.yaml's), the global ones, and RevokedHostKeys.
  const knownHosts = await readKnownHosts([...(settings.knownHostsFile ? [settings.knownHostsFile] : host.knownHostsFiles), ...host.globalKnownHostsFiles]);
  const revokedKeys = host.revokedHostKeys ? await readRevokedKeys(host.revokedHostKeys) : [];
  let refusal: BlueGreenError | undefined;
  let authFailure: BlueGreenError | undefined;

  const hostVerifier = (blob: Buffer, verify: (ok: boolean) => void) => {
    const verdict = checkHostKey(knownHosts, host.hostname, host.port, blob, { alias: host.hostKeyAlias, revokedKeys, revokedFile: host.revokedHostKeys });
    const fingerprint = fingerprintOf(blob);
    const where = `${host.hostname}:${host.port}`;
    if (verdict.kind === 'known') return verify(true);
    if (verdict.kind === 'changed' || verdict.kind === 'revoked') {
      const reason: ErrorReason = verdict.kind === 'changed' ? 'host-key-changed' : 'host-key-revoked';
      refusal = new BlueGreenError(
        reason,
        verdict.kind === 'changed'
          ? `${label}: the host key of ${where} has CHANGED (now ${keyTypeOf(blob)} ${fingerprint}; ${verdict.entry.file}:${verdict.entry.line} records another). Refusing to connect: this may be an attack. If the host was rebuilt, remove that line and verify the new key.`
          : `${label}: the host key of ${where} (${fingerprint}) is revoked (${verdict.entry.line ? `@revoked in ${verdict.entry.file}:${verdict.entry.line}` : `listed in ${verdict.entry.file}`}). Refusing to connect.`,
        label,
      );
      return verify(false);
    }
    const unknown = () => new BlueGreenError('host-key-unknown', `${label}: the host key of ${where} is not in known_hosts (${keyTypeOf(blob)} ${fingerprint}). Verify it and add it to known_hosts, then try again.`, label);
    // A prompt that fails (no UI, a dialog refused) counts as "no".
    settings.prompts.confirmUnknownHostKey({ host: host.hostname, port: host.port, keyType: keyTypeOf(blob), fingerprint }).then(
      (ok) => {
        if (!ok) refusal = unknown();
        verify(ok);
      },
      () => {
        refusal = unknown();
        verify(false);
      },
    );
  };

  const methods: (() => Promise<AnyAuthMethod | undefined>)[] = [];
  if (host.agent) methods.push(async () => ({ type: 'agent', username: host.user, agent: host.agent! }));
  for (const file of host.identityFiles) {
    methods.push(async () => {
      const key = await loadPrivateKey(file, settings.prompts.askPassphrase);
      return key && { type: 'publickey', username: host.user, key };
    });
  }
  const tried: string[] = [];
  const authHandler = (_left: AuthenticationType[], _partial: boolean, next: (m: AnyAuthMethod | false) => void) => {
    void (async () => {
      while (methods.length) {
        const method = await methods.shift()!();
        if (method) {
          tried.push(method.type === 'agent' ? 'agent' : 'key');
          return next(method);
        }
      }
      next(false);
    })().catch((e: unknown) => {
      authFailure = e instanceof BlueGreenError ? e : new BlueGreenError('key-unreadable', String(e), label);
      next(false);
    });
  };

  const config: ConnectConfig = {
    host: host.hostname,
    port: host.port,
    username: host.user,
    sock: (sock ?? connectTcp(host.hostname, host.port)) as ConnectConfig['sock'],
    readyTimeout: settings.connectTimeoutMs,
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    hostVerifier,
    authHandler: authHandler as ConnectConfig['authHandler'],
    algorithms: { serverHostKey: hostKeyAlgorithmsFor(knownHosts, host.hostname, host.port, host.hostKeyAlias) as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
  };

  const client = new Client();
  return new Promise<Ssh2Client>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      if (refusal) return reject(refusal);
      if (authFailure) return reject(authFailure);
      if (err.level === 'client-authentication') {
        return reject(new BlueGreenError('auth-failed', `${label}: authentication as ${host.user} failed (tried ${tried.length ? tried.join(', ') : 'no usable agent or key'}). Check IdentityFile in your ssh config or load the key into your agent.`, label));
      }
      if (err.level === 'client-timeout') {
        return reject(new BlueGreenError('timeout', `${label}: no SSH handshake from ${host.hostname}:${host.port} within ${settings.connectTimeoutMs} ms`, label));
      }
      reject(new BlueGreenError('connect-failed', `${label}: cannot connect to ${host.hostname}:${host.port}: ${err.message}`, label));
    };
    // Stays attached: a client that failed (or is closing) can still emit errors, and an
    // unhandled 'error' event would crash the extension host.
    client.on('error', fail);
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 throws synchronously on some bad options (a malformed key, for one).
      if (!sock) (config.sock as Duplex).destroy();
      fail(e as Error);
    }
  });
}

/** A TCP stream opened by `via`'s sshd to host:port (ProxyJump hops, tunnelled HTTP). */
export function forward(via: Ssh2Client, host: string, port: number, viaLabel: string): Promise<ClientChannel> {
  return openForwarded(`cannot reach ${host}:${port} through ${viaLabel}`, 'TCP forwarding', viaLabel, (cb) => via.forwardOut('127.0.0.1', 0, host, port, cb));
}

/** A stream to a Unix socket on the host (OpenSSH's direct-streamlocal), e.g. HAProxy's stats socket. */
export function forwardUnixSocket(via: Ssh2Client, socketPath: string, viaLabel: string): Promise<ClientChannel> {
  return openForwarded(`cannot open ${socketPath} on ${viaLabel}`, 'stream-local forwarding', viaLabel, (cb) => via.openssh_forwardOutStreamLocal(socketPath, cb));
}

/** Opens a forwarded channel; a server that forbids that kind of forwarding is 'tunnel-refused'. */
function openForwarded(what: string, kind: string, viaLabel: string, open: (cb: (err: Error | undefined, stream: ClientChannel) => void) => void): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      open((err, stream) => {
        if (!err) return resolve(stream);
        // RFC 4254 reason 1: administratively prohibited (AllowTcpForwarding / AllowStreamLocalForwarding no).
        const prohibited = (err as Error & { reason?: unknown }).reason === 1;
        reject(new BlueGreenError(prohibited ? 'tunnel-refused' : 'connect-failed', `${what}: ${prohibited ? `it does not allow ${kind}` : err.message}`, viaLabel));
      });
    } catch (e) {
      reject(new BlueGreenError('connection-lost', `${what}: ${(e as Error).message}`, viaLabel, { cause: e }));
    }
  });
}
