import { ConfirmPort } from '../core/plan/confirm';
import { redact, Redacted } from '../core/redact';
import { withNotification } from './sinks';

/**
 * A progress notification that steps aside while the operation asks a person: it closes when a
 * dialog opens (VS Code would show it, with its own Cancel, behind the modal) and a new one
 * opens once they answered. Time spent in dialogs is counted apart, so "done in" is the work's.
 */
export class DialogAwareProgress {
  readonly controller = new AbortController();
  private open?: { close: () => void; report: (message: Redacted) => void };
  private lastMessage?: Redacted;
  private inDialogsMs = 0;
  private readonly started = Date.now();

  constructor(private readonly title: Redacted) {}

  show(): void {
    if (this.open || this.controller.signal.aborted) return;
    void withNotification(this.title, (report, token) => {
      token.onCancellationRequested(() => this.controller.abort());
      if (this.lastMessage) report(this.lastMessage);
      return new Promise<void>((close) => (this.open = { close, report }));
    });
  }

  close(): void {
    this.open?.close();
    this.open = undefined;
  }

  report(message: Redacted): void {
    this.lastMessage = message;
    this.open?.report(message);
  }

  /** The person's dialogs, with the notification closed while each is open. */
  around(confirm: ConfirmPort): ConfirmPort {
    return {
      confirm: async (request) => {
        this.close();
        const asked = Date.now();
        try {
          return await confirm.confirm(request);
        } finally {
          this.inDialogsMs += Date.now() - asked;
          this.show();
        }
      },
    };
  }

  /** Seconds of work so far, without the time dialogs were open. */
  workSeconds(): string {
    return ((Date.now() - this.started - this.inDialogsMs) / 1000).toFixed(1);
  }
}

export function progressTitle(title: string, app: string): Redacted {
  return redact(`Blue-Green: ${title} (${app})`);
}
