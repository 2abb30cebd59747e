import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import { parseKey } from './ssh2Client';
import { BlueGreenError } from '../errors';

/**
 * Whether a private key file needs a passphrase, read from its format rather than from
 * ssh2's error text: OpenSSH keys name their cipher, PEM keys carry an ENCRYPTED header.
 */
export function isEncryptedKey(data: Buffer): boolean {
  const text = data.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,ENCRYPTED/.test(text)) return true;
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return false;
  const blob = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (blob.subarray(0, magic.length).toString('latin1') !== magic) return false;
  const cipherLength = blob.readUInt32BE(magic.length);
  return blob.subarray(magic.length + 4, magic.length + 4 + cipherLength).toString('latin1') !== 'none';
}

/**
 * Loads a private key; undefined when the file does not exist or the person declined to
 * give a passphrase. A wrong passphrase is an error that names the file.
 */
export async function loadPrivateKey(file: string, askPassphrase: (file: string) => Promise<string | undefined>): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BlueGreenError('key-unreadable', `cannot read key ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  let passphrase: string | undefined;
  if (isEncryptedKey(data)) {
    passphrase = await askPassphrase(file);
    if (passphrase === undefined) return undefined;
  }
  let parsed: ReturnType<typeof parseKey>;
  try {
    parsed = parseKey(data, passphrase);
  } catch (e) {
    parsed = e as Error;
  }
  if (parsed instanceof Error) {
    throw new BlueGreenError('key-unreadable', passphrase === undefined ? `cannot use key ${file}: ${parsed.message}` : `wrong passphrase for key ${file}`);
  }
  return Array.isArray(parsed) ? parsed[0] : parsed;
}
