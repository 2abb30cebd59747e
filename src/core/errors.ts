import { redact, Redacted } from './redact';

/**
 * Every failure the core reports carries a machine-readable `reason`, so callers branch on
 * it instead of on message text (messages are for people and may change).
 */
export type ErrorReason =
  | 'config-invalid'
  | 'config-missing'
  | 'ssh-config'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'known-hosts-unreadable'
  | 'auth-failed'
  | 'key-unreadable'
  | 'connect-failed'
  | 'connection-lost'
  | 'tunnel-refused'
  | 'timeout'
  | 'aborted'
  | 'unsafe-value'
  | 'locked'
  | 'refused'
  | 'step-failed'
  | 'declined'
  /** The routing changed during an operation that switches nothing (a deploy's hook, a hand on the LB). */
  | 'routing-changed'
  /** No person could be asked (no terminal, no --yes; no dialog an agent's client can show). */
  | 'not-confirmable'
  /** The command line was wrong. */
  | 'usage';

export class BlueGreenError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly host?: string,
    /** The error this one explains (kept for logs and tests; the message is what a person reads). */
    options?: { cause?: unknown },
  ) {
    // Messages carry remote output and config values: no credential survives into one.
    super(redact(message), options);
    this.name = 'BlueGreenError';
  }
}

export function isBlueGreenError(e: unknown, reason?: ErrorReason): e is BlueGreenError {
  return e instanceof BlueGreenError && (reason === undefined || e.reason === reason);
}

/** What went wrong, as a person may read it: never with a credential in it. */
export function errorMessage(e: unknown): Redacted {
  return redact(e instanceof Error ? e.message : String(e));
}
