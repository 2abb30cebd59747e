import * as assert from 'node:assert/strict';
import { checkHostKey, entryMatchesHost, fingerprintOf, hashHostName, hostKeyAlgorithmsFor, keyTypeOf, parseKnownHosts, parseRevokedKeys } from '../../src/core/ssh/knownHosts';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}

const ed = blob('ssh-ed25519', 'key-one');
const ed2 = blob('ssh-ed25519', 'key-two');
const rsa = blob('ssh-rsa', 'rsa-key');
const b64 = (b: Buffer) => b.toString('base64');

describe('known_hosts', () => {
  it('parses entries, skipping comments, blank lines and unknown markers', () => {
    const entries = parseKnownHosts(`# comment\n\nhost1,10.0.0.1 ssh-ed25519 ${b64(ed)} c\n@revoked * ssh-rsa ${b64(rsa)}\n@weird x y z\nbroken-line\n`, 'kh');
    assert.equal(entries.length, 2);
    assert.deepEqual([entries[0].hosts, entries[0].line, entries[0].marker], ['host1,10.0.0.1', 3, undefined]);
    assert.equal(entries[1].marker, 'revoked');
  });

  it('matches plain names, [host]:port, wildcards and negation', () => {
    const [e] = parseKnownHosts(`*.example.net,!bad.example.net,[10.0.0.5]:2222 ssh-ed25519 ${b64(ed)}`, 'kh');
    assert.ok(entryMatchesHost(e, 'web.example.net'));
    assert.ok(!entryMatchesHost(e, 'bad.example.net'));
    assert.ok(entryMatchesHost(e, '[10.0.0.5]:2222'));
    assert.ok(!entryMatchesHost(e, '10.0.0.5'));
    assert.ok(!entryMatchesHost(e, 'example.net'));
  });

  it('matches a plain name whatever its case, and only as a whole (no wildcard read into . or [)', () => {
    const [e] = parseKnownHosts(`Web1.Example.NET,[10.0.0.5]:2222 ssh-ed25519 ${b64(ed)}`, 'kh');
    assert.ok(entryMatchesHost(e, 'web1.example.net'));
    assert.ok(!entryMatchesHost(e, 'web1xexample.net'));
    assert.ok(!entryMatchesHost(e, 'web1.example.net.evil'));
    assert.ok(!entryMatchesHost(e, '[10.0.0.5]:22220'));
  });

  it('matches hashed entries', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const [e] = parseKnownHosts(`${hashHostName('[127.77.0.2]:2222', salt)} ssh-ed25519 ${b64(ed)}`, 'kh');
    assert.ok(entryMatchesHost(e, '[127.77.0.2]:2222'));
    assert.ok(!entryMatchesHost(e, '127.77.0.2'));
  });

  it('tells known, unknown, changed and revoked keys apart', () => {
    const entries = parseKnownHosts(`[h]:2222 ssh-ed25519 ${b64(ed)}\nother ssh-ed25519 ${b64(ed2)}\n@revoked * ssh-ed25519 ${b64(ed2)}\n`, 'kh');
    assert.equal(checkHostKey(entries, 'h', 2222, ed).kind, 'known');
    assert.equal(checkHostKey(entries, 'h', 22, ed).kind, 'unknown');
    assert.equal(checkHostKey(entries, 'h', 2222, rsa).kind, 'changed');
    assert.equal(checkHostKey(entries, 'h', 2222, ed2).kind, 'revoked');
    assert.equal(checkHostKey(entries, 'nobody', 22, ed).kind, 'unknown');
  });

  it('offers the recorded key types first', () => {
    const entries = parseKnownHosts(`h ssh-rsa ${b64(rsa)}`, 'kh');
    assert.deepEqual(hostKeyAlgorithmsFor(entries, 'h', 22).slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.equal(hostKeyAlgorithmsFor(entries, 'elsewhere', 22)[0], 'ssh-ed25519');
  });

  it('reads the key type and prints OpenSSH-style fingerprints', () => {
    assert.equal(keyTypeOf(ed), 'ssh-ed25519');
    assert.match(fingerprintOf(ed), /^SHA256:[A-Za-z0-9+/]{43}$/);
  });
  it('hardening: looks a host up under its HostKeyAlias, and refuses keys listed in RevokedHostKeys (RELIABILITY row 26)', () => {
    const entries = parseKnownHosts(`jw-attendant ssh-ed25519 ${b64(ed)}\n`, 'kh');
    assert.equal(checkHostKey(entries, '10.92.3.22', 2201, ed).kind, 'unknown');
    assert.equal(checkHostKey(entries, '10.92.3.22', 2201, ed, { alias: 'jw-attendant' }).kind, 'known');
    assert.equal(hostKeyAlgorithmsFor(parseKnownHosts(`jw-attendant ssh-rsa ${b64(rsa)}\n`, 'kh'), '10.92.3.22', 2201, 'jw-attendant')[0], 'rsa-sha2-512');
    const revoked = parseRevokedKeys(Buffer.from(`# retired\nssh-ed25519 ${b64(ed)} old-host\n`), 'revoked');
    assert.equal(checkHostKey(entries, '10.92.3.22', 2201, ed, { alias: 'jw-attendant', revokedKeys: revoked }).kind, 'revoked');
    assert.throws(() => parseRevokedKeys(Buffer.from('SSHKRL\n\0rest'), 'krl'), /binary key revocation list/);
  });
});
