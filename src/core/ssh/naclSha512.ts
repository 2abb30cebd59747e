import { createHash } from 'node:crypto';

/**
 * What the bundle gives `require('tweetnacl')`: bcrypt-pbkdf (ssh2's decryption of
 * passphrase-protected OpenSSH keys) uses tweetnacl only for `lowlevel.crypto_hash`, a
 * SHA-512, so the bundle carries Node's own SHA-512 in that shape instead of all of
 * tweetnacl (33 KB). Hand-written: an adapter of eight lines; unit tests compare it with
 * tweetnacl's.
 */
export const lowlevel = {
  /** SHA-512 of the first `n` bytes of `m`, written into `out` (64 bytes); 0 as tweetnacl returns. */
  crypto_hash(out: Uint8Array, m: Uint8Array, n: number): number {
    out.set(createHash('sha512').update(m.subarray(0, n)).digest());
    return 0;
  },
};
