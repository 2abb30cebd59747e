import { lineReporter, Reporter } from '../core/workflows/parts/reporter';

type Notify = (notification: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message: string } }) => Promise<void>;

/**
 * A workflow's step lines, as the output channel shows them, sent as MCP progress
 * notifications when the client asked for them (a progress token).
 */
export function progressReporter(token: string | number | undefined, notify: Notify): Reporter {
  let count = 0;
  return lineReporter((level, text) => {
    const message = level === 'warn' ? `warning: ${text}` : text;
    if (token === undefined) return;
    count++;
    void notify({ method: 'notifications/progress', params: { progressToken: token, progress: count, message } }).catch(() => undefined);
  });
}
