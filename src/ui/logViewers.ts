import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { redact } from '../core/redact';
import { LogLine, logLineText } from '../core/status/logLines';
import { LogsResult } from '../core/workflows/logs';
import { showError, TextChannel, textChannel, withNotification } from './sinks';

type Follow = (signal: AbortSignal, onLine: (line: LogLine) => void) => Promise<LogsResult>;

/**
 * Show Logs' output channels, one per host (or per slot, for all its servers at once): the
 * last lines, then each new one, until the person cancels the notification that says it is
 * following. Showing one that is already following brings it forward; it is not read twice.
 */
export class LogViewers implements vscode.Disposable {
  private readonly open = new Map<string, { channel: TextChannel; stop?: AbortController }>();

  /** `recorded`: test mode keeps each channel's lines here, by channel name. */
  constructor(private readonly recorded?: Map<string, string[]>) {}

  async follow(name: string, title: string, follow: Follow): Promise<void> {
    const known = this.open.get(name);
    if (known?.stop) return known.channel.show(true);
    const channel = known?.channel ?? textChannel(redact(name));
    const stop = new AbortController();
    this.open.set(name, { channel, stop });
    if (this.recorded) this.recorded.set(name, []);
    const write = (text: string) => {
      const line = redact(text);
      channel.appendLine(line);
      this.recorded?.get(name)?.push(line);
    };
    channel.clear();
    channel.show(true);
    write(`Following ${title}: its last lines, then each new one. Cancel on the notification stops it.`);
    try {
      await withNotification(redact(`Blue-Green: following the log of ${title}`), async (_report, token) => {
        const cancelled = token.onCancellationRequested(() => stop.abort());
        try {
          const result = await follow(stop.signal, (l) => write(logLineText(l)));
          if (result.note) write(result.note);
        } finally {
          cancelled.dispose();
        }
      });
      write(`— stopped following ${title}.`);
    } catch (e) {
      write(`— stopped: ${errorMessage(e)}`);
      void showError(redact(`Blue-Green: the log of ${title} could not be read: ${errorMessage(e)}`));
    } finally {
      const entry = this.open.get(name);
      if (entry) entry.stop = undefined;
    }
  }

  /** Stops following `name`, as Cancel on its notification does. */
  stop(name: string): void {
    this.open.get(name)?.stop?.abort();
  }

  /** Stops every follow (their remote tails end with the SSH session) and closes the channels. */
  dispose(): void {
    for (const { channel, stop } of this.open.values()) {
      stop?.abort();
      channel.dispose();
    }
    this.open.clear();
  }
}
