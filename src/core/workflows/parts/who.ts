import * as os from 'node:os';
import { redact, Redacted } from '../../redact';

/** `user@machine`, as the lock and the history record who acted. */
export function whoAmI(): Redacted {
  let user = process.env.USER ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return redact(`${user}@${os.hostname()}`);
}
