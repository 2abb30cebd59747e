// Hand-written: no well-kept npm package parses OpenSSH known_hosts (hashed entries,
// [host]:port, negated wildcards, @revoked). Format: sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT".
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  /** Raw first field: a comma-separated pattern list or a `|1|salt|hmac` hash. */
  hosts: string;
  keyType: string;
  key: string;
  file: string;
  line: number;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift()!.slice(1) as KnownHostEntry['marker'];
    else if (fields[0].startsWith('@')) return;
    if (fields.length < 3) return;
    entries.push({ marker, hosts: fields[0], keyType: fields[1], key: fields[2], file, line: i + 1 });
  });
  return entries;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
/** The name a host's keys are recorded under: `[host]:port` off port 22, or its HostKeyAlias as written. */
function knownHostsName(host: string, port: number, alias?: string): string {
  if (alias) return alias;
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Most patterns are plain names: compared as text, with no expression built for each line on every connect. */
function patternMatches(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();
  return wildcardToRegExp(pattern).test(name);
}

function hashedMatches(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|')) return hashedMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (patternMatches(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside an SSH wire-format public key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The fingerprint OpenSSH prints: SHA256 of the blob, base64 without padding. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'revoked'; entry: KnownHostEntry }
  | { kind: 'changed'; entry: KnownHostEntry };

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer, o: { alias?: string; revokedKeys?: readonly string[]; revokedFile?: string } = {}): HostKeyVerdict {
  const name = knownHostsName(host, port, o.alias);
  const presented = blob.toString('base64');
  if (o.revokedKeys?.includes(presented)) return { kind: 'revoked', entry: { marker: 'revoked', hosts: '*', keyType: keyTypeOf(blob), key: presented, file: `RevokedHostKeys ${o.revokedFile ?? ''}`.trim(), line: 0 } };
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && entryMatchesHost(e, name));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === presented);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const known = plain.find((e) => e.key === presented);
  if (known) return { kind: 'known', entry: known };
  // A host with keys on record that presents any other key is treated as changed, even of
  // another type: the algorithm order below already asked for the recorded types first.
  if (plain.length) return { kind: 'changed', entry: plain[0] };
  return { kind: 'unknown' };
}

const RSA_ALGORITHMS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const DEFAULT_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', ...RSA_ALGORITHMS];

/**
 * Host key algorithms in the order to offer them: the types on record for this host first,
 * as OpenSSH does, so a host with an RSA key on file is not asked for its ed25519 key.
 */
export function hostKeyAlgorithmsFor(entries: readonly KnownHostEntry[], host: string, port: number, alias?: string): string[] {
  const name = knownHostsName(host, port, alias);
  const recorded = new Set(entries.filter((e) => e.marker === undefined && entryMatchesHost(e, name)).flatMap((e) => (e.keyType === 'ssh-rsa' ? RSA_ALGORITHMS : [e.keyType])));
  return [...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => recorded.has(a)), ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !recorded.has(a))];
}

/** A `|1|salt|hmac` host field, as `ssh-keygen -H` writes it. */
export function hashHostName(name: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/**
 * A RevokedHostKeys file: public keys, one a line (`type base64 [comment]`), as OpenSSH reads
 * them. A binary KRL cannot be read here, so it is refused rather than ignored.
 */
export function parseRevokedKeys(data: Buffer, file: string): string[] {
  if (data.subarray(0, 8).toString('latin1') === 'SSHKRL\n\0') throw new Error(`${file} is a binary key revocation list (KRL), which Blue-Green cannot read; list the revoked public keys as text instead`);
  return data
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[1])
    .filter((k): k is string => !!k);
}
