import type { Client as Ssh2Client, ParsedKey } from 'ssh2';

/**
 * ssh2's client and key parser, loaded from their own modules: the package's root also loads
 * its SSH server, key generator and HTTP agents, which a client never uses (about 25 KB of the
 * extension's bundle). The types are the package's own.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- ssh2 is CommonJS; these paths have no typings of their own */
export const Client = require('ssh2/lib/client.js') as typeof Ssh2Client;
export const parseKey = (require('ssh2/lib/protocol/keyParser.js') as { parseKey(data: Buffer | string, passphrase?: string): ParsedKey | Error | ParsedKey[] }).parseKey;
/* eslint-enable @typescript-eslint/no-require-imports */
