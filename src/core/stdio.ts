import * as readline from 'node:readline/promises';
import { redact, Redacted } from './redact';

/**
 * The process's own streams, the CLI's and `bluegreen mcp`'s last resort: the only place in the
 * code that writes to them, and only redacted text (lint forbids console and
 * process.stdout/stderr.write elsewhere). In `bluegreen mcp`, stdout is the protocol: only the
 * SDK's transport writes there. Each text is redacted once more on its way out: a cast or an
 * `any` can slip past the type, and redacting a redacted text changes nothing.
 */
export function printOut(text: Redacted): void {
  process.stdout.write(`${redact(text)}\n`);
}

export function printErr(text: Redacted): void {
  process.stderr.write(`${redact(text)}\n`);
}

/** Text without a newline added (a prompt's preview ends its own lines). */
export function writeErr(text: Redacted): void {
  process.stderr.write(redact(text));
}

/** Questions on the terminal (stdin, shown on stderr); the person's own typing is echoed as typed. */
export function terminal(): { ask(question: Redacted): Promise<string>; close(): void } {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return { ask: (question) => rl.question(redact(question)), close: () => rl.close() };
}
