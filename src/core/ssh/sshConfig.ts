import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SSHConfig from 'ssh-config';
import { BlueGreenError } from '../errors';

/** Everything needed to open a connection to one configured host. */
export interface ResolvedHost {
  /** The name as configured (`jwa`, `deploy@10.0.0.5:2222`). */
  spec: string;
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** Agent socket, or undefined for none. */
  agent?: string;
  /** Hosts to hop through, outermost first, each a spec resolved in turn. */
  proxyJump: string[];
  knownHostsFiles: string[];
  /** GlobalKnownHostsFile (default /etc/ssh/ssh_known_hosts, …2): its keys and @revoked lines count too. */
  globalKnownHostsFiles: string[];
  /** RevokedHostKeys: a file of public keys refused for every host. */
  revokedHostKeys?: string;
  /** HostKeyAlias: the name the host's keys are recorded under instead of its address. */
  hostKeyAlias?: string;
}

const MAX_INCLUDE_DEPTH = 16;

function expandHome(p: string): string {
  return p.replace(/^~(?=$|\/)/, os.homedir());
}

function globToRegExp(segment: string): RegExp {
  return new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

/** Include arguments may hold `*`/`?` in any path segment (glob(7), as OpenSSH uses). */
function expandGlob(pattern: string): string[] {
  const segments = pattern.split('/');
  let bases = [segments[0] === '' ? '/' : segments[0]];
  for (const segment of segments.slice(1)) {
    if (!segment) continue;
    if (!/[*?]/.test(segment)) {
      bases = bases.map((b) => path.join(b, segment));
      continue;
    }
    const re = globToRegExp(segment);
    const next: string[] = [];
    for (const base of bases) {
      const names = namesIn(base);
      next.push(...names.filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => path.join(base, n)));
    }
    bases = next;
  }
  return bases;
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * ssh-config parses and matches but does not follow `Include`; OpenSSH splices included
 * files in place (inside the current Host block when there is one), so we do the same.
 * Read synchronously: loading bluegreen.yaml, itself synchronous, resolves hosts with it, and
 * the files are a few small ones.
 */
export function readSshConfigText(file: string, depth = 0): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new BlueGreenError('ssh-config', `${file}: Include nested more than ${MAX_INCLUDE_DEPTH} deep`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new BlueGreenError('ssh-config', `cannot read ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const include = /^\s*include\s*[= ]\s*(.+?)\s*$/i.exec(line);
    if (!include) {
      out.push(line);
      continue;
    }
    for (const word of include[1].match(/"[^"]*"|\S+/g) ?? []) {
      const raw = expandHome(word.replace(/^"|"$/g, ''));
      const absolute = path.isAbsolute(raw) ? raw : path.join(os.homedir(), '.ssh', raw);
      for (const match of expandGlob(absolute)) out.push(readSshConfigText(match, depth + 1));
    }
  }
  return out.join('\n');
}

/** `user@host:port`, `host:port`, `[v6]:port` or a bare alias. */
export function parseHostSpec(spec: string): { user?: string; host: string; port?: number } {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!m) throw new BlueGreenError('ssh-config', `"${spec}" is not an ssh host: write an ~/.ssh/config alias or user@host[:port]`);
  return { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const DEFAULT_IDENTITIES = ['~/.ssh/id_ed25519', '~/.ssh/id_ecdsa', '~/.ssh/id_rsa'];

/** The last few files' parses, by text: a refresh connects to every host at once, each resolved from the same file. */
const PARSED_KEPT = 4;
const parsedConfigs = new Map<string, ReturnType<typeof SSHConfig.parse>>();

function parsedSshConfig(text: string): ReturnType<typeof SSHConfig.parse> {
  let config = parsedConfigs.get(text);
  if (!config) {
    config = SSHConfig.parse(text);
    if (parsedConfigs.size >= PARSED_KEPT) parsedConfigs.delete(parsedConfigs.keys().next().value!);
    parsedConfigs.set(text, config);
  }
  return config;
}

/** A spec as ssh_config resolves it: `configFile`, else the user's ~/.ssh/config when there is one. */
export function resolveHost(spec: string, configFile?: string): ResolvedHost {
  const parsed = parseHostSpec(spec);
  const file = configFile ?? path.join(os.homedir(), '.ssh', 'config');
  const text = readSshConfigText(file);
  let computed: Record<string, string | string[]>;
  try {
    // matchExec: false — `Match exec` would run arbitrary shell commands from the file.
    computed = parsedSshConfig(text).compute({ Host: parsed.host, User: parsed.user }, { ignoreCase: true, matchExec: false });
  } catch (e) {
    throw new BlueGreenError('ssh-config', `${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const localUser = os.userInfo().username;
  const user = parsed.user ?? first(computed.user) ?? localUser;
  const rawHostname = first(computed.hostname) ?? parsed.host;
  const hostname = rawHostname.replace(/%h/g, parsed.host).replace(/%%/g, '%');
  const port = parsed.port ?? Number(first(computed.port) ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BlueGreenError('ssh-config', `${spec}: port ${String(port)} is not a TCP port`);

  const tokens = (p: string) => expandHome(p).replace(/%d/g, os.homedir()).replace(/%u/g, localUser).replace(/%r/g, user).replace(/%h/g, hostname).replace(/%%/g, '%');
  const identityFiles = (all(computed.identityfile).length ? all(computed.identityfile) : DEFAULT_IDENTITIES).map(tokens);
  const agentSetting = first(computed.identityagent);
  const agent = agentSetting === 'none' ? undefined : agentSetting && agentSetting !== 'SSH_AUTH_SOCK' ? tokens(agentSetting.replace(/^\$SSH_AUTH_SOCK$/, process.env.SSH_AUTH_SOCK ?? '')) : process.env.SSH_AUTH_SOCK;
  const jump = first(computed.proxyjump);
  const fileList = (key: string) => all(computed[key]).flatMap((v) => v.split(/\s+/)).filter(Boolean).map(tokens);
  const knownHostsFiles = fileList('userknownhostsfile');
  const globalKnownHostsFiles = fileList('globalknownhostsfile');
  const revoked = first(computed.revokedhostkeys);

  return {
    spec,
    hostname,
    port,
    user,
    identityFiles,
    agent: agent || undefined,
    proxyJump: jump && jump !== 'none' ? jump.split(',') : [],
    knownHostsFiles: knownHostsFiles.length ? knownHostsFiles : [tokens('~/.ssh/known_hosts'), tokens('~/.ssh/known_hosts2')],
    globalKnownHostsFiles: globalKnownHostsFiles.length ? globalKnownHostsFiles : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    revokedHostKeys: revoked && revoked !== 'none' ? tokens(revoked) : undefined,
    hostKeyAlias: first(computed.hostkeyalias),
  };
}

/**
 * The machine a resolved host is, "10.0.0.5:22": names are not case-sensitive, and the user is
 * not part of it (deploy@h and root@h are one machine). Two aliases of one machine give the same.
 */
export function machineOf(host: Pick<ResolvedHost, 'hostname' | 'port'>): string {
  const name = host.hostname.toLowerCase();
  return `${name.includes(':') ? `[${name}]` : name}:${host.port}`;
}
