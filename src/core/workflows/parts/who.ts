import * as os from 'node:os';

/** `user@machine`, as the lock and the history record who acted. */
export function whoAmI(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return `${user}@${os.hostname()}`;
}
