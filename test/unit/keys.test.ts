import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBlueGreenError } from '../../src/core/errors';
import { isEncryptedKey, loadPrivateKey } from '../../src/core/ssh/keys';
import { lowlevel } from '../../src/core/ssh/naclSha512';

describe('private keys', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-keys-'));
  const plain = path.join(dir, 'plain');
  const locked = path.join(dir, 'locked');
  before(() => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plain]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', locked]);
  });

  it('tells encrypted keys from plain ones by their format', () => {
    assert.equal(isEncryptedKey(readFileSync(plain)), false);
    assert.equal(isEncryptedKey(readFileSync(locked)), true);
  });

  it('asks for a passphrase only when the key needs one', async () => {
    const asked: string[] = [];
    const ask = async (f: string) => (asked.push(f), 'correct horse');
    assert.ok(await loadPrivateKey(plain, ask));
    assert.deepEqual(asked, []);
    assert.ok(await loadPrivateKey(locked, ask));
    assert.deepEqual(asked, [locked]);
  });

  it('says which key had a wrong passphrase, and skips a declined one', async () => {
    await assert.rejects(loadPrivateKey(locked, async () => 'wrong'), (e: unknown) => isBlueGreenError(e, 'key-unreadable') && (e as Error).message.includes(locked));
    assert.equal(await loadPrivateKey(locked, async () => undefined), undefined);
    assert.equal(await loadPrivateKey(path.join(dir, 'missing'), async () => 'x'), undefined);
  });
});

describe("the bundle's stand-in for tweetnacl's SHA-512", () => {
  it('hashes exactly as tweetnacl does, for the lengths bcrypt-pbkdf uses and others', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real one, for comparison
    const nacl = require('tweetnacl') as { lowlevel: { crypto_hash(out: Uint8Array, m: Uint8Array, n: number): number } };
    for (const size of [0, 1, 63, 64, 65, 128, 1000]) {
      const m = Uint8Array.from({ length: size + 7 }, (_, i) => (i * 31 + size) & 0xff);
      const [ours, theirs] = [new Uint8Array(64), new Uint8Array(64)];
      assert.equal(lowlevel.crypto_hash(ours, m, size), nacl.lowlevel.crypto_hash(theirs, m, size));
      assert.deepEqual(ours, theirs, `SHA-512 of ${size} bytes differs`);
    }
  });
});
