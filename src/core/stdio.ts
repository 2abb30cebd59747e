import { Redacted } from './redact';

/**
 * The process's own streams, the CLI's and `bluegreen mcp`'s last resort: the only place in the
 * code that writes to them, and only redacted text (lint forbids console and
 * process.stdout/stderr.write elsewhere). In `bluegreen mcp`, stdout is the protocol: only the
 * SDK's transport writes there.
 */
export function printOut(text: Redacted): void {
  process.stdout.write(`${text}\n`);
}

export function printErr(text: Redacted): void {
  process.stderr.write(`${text}\n`);
}

/** Text without a newline added (a prompt's preview ends its own lines). */
export function writeErr(text: Redacted): void {
  process.stderr.write(text);
}
