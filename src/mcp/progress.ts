import { redact, Redacted } from '../core/redact';
import { lineReporter, Reporter } from '../core/workflows/parts/reporter';

type ProgressNotification = { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message: Redacted } };

/** The request's side of the SDK that sends notifications; only this file sends any. */
interface Notifier {
  sendNotification(notification: ProgressNotification): Promise<void>;
}

/**
 * A workflow's step lines, as the output channel shows them, sent as MCP progress
 * notifications when the client asked for them (a progress token).
 */
export function progressReporter(token: string | number | undefined, to: Notifier): Reporter {
  let count = 0;
  return lineReporter((level, text) => {
    const message = level === 'warn' ? redact(`warning: ${text}`) : text;
    if (token === undefined) return;
    count++;
    void to.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: count, message: redact(message) } }).catch(() => undefined);
  });
}
