import { AppConfig, NotifyEventName, WebhookConfig } from '../config/types';
import { errorMessage } from '../errors';
import { Reporter } from '../workflows/parts/reporter';
import { webhookBody } from './bodies';
import { NotifyEvent } from './event';
import { postJson } from './post';
import { shownWebhook } from './shownUrl';

/** The app's webhooks that take this event. */
export function webhooksFor(app: AppConfig, event: NotifyEventName): WebhookConfig[] {
  return (app.notify ?? []).filter((w) => !w.events || w.events.includes(event));
}

/** What the operation is called in a webhook's failure line: the thing that stays as it is. */
const UNAFFECTED: Record<NotifyEventName, string> = {
  'staging-passed': 'the deploy to staging',
  'staging-failed': 'the deploy to staging',
  release: 'the release',
  'emergency-release': 'the release',
  rollback: 'the rollback',
  'switch-back': 'the switch back',
  'canary-started': 'the canary',
  'canary-ended': 'the canary',
};

/**
 * Posts the event to each of the app's webhooks that takes it, all at once, each within its
 * own timeoutSeconds. Never throws: a webhook that fails or hangs is one warning line (its
 * url shown as scheme and host only), returned and said through the reporter.
 */
export async function announce(ctx: { app: AppConfig; reporter: Reporter }, event: NotifyEvent): Promise<string[]> {
  const hooks = webhooksFor(ctx.app, event.event);
  const lines = await Promise.all(
    hooks.map(async (hook) => {
      try {
        const outcome = await postJson(hook.url, webhookBody(hook.format, event), hook.timeoutSeconds * 1000);
        return outcome.ok ? undefined : `Webhook ${shownWebhook(hook.url)} (${event.event}) ${outcome.why}; ${UNAFFECTED[event.event]} is unaffected`;
      } catch (e) {
        return `Webhook ${shownWebhook(hook.url)} (${event.event}) failed: ${errorMessage(e)}; ${UNAFFECTED[event.event]} is unaffected`;
      }
    }),
  );
  const failed = lines.filter((l): l is string => l !== undefined);
  for (const line of failed) {
    try {
      ctx.reporter.warn(line);
    } catch {
      // A closed output channel: the line is still returned.
    }
  }
  return failed;
}

/** An event as a workflow gives it: the app and the time are added when it is sent. */
export type Announced = Omit<NotifyEvent, 'app' | 'time'>;

/**
 * Events an operation announces while it still holds a lock: each is posted at once, in the
 * background, so the lock is not held a moment longer; `settled()`, awaited after the lock is
 * released, waits for the posts (each bounded by its timeout) and their warning lines.
 */
export class Announcements {
  private readonly pending: Promise<string[]>[] = [];

  constructor(private readonly ctx: { app: AppConfig; reporter: Reporter }) {}

  send(facts: Announced): void {
    const { event, ...rest } = facts;
    // The JSON body's keys in this order: what it is, of which app, the facts, when.
    this.pending.push(announce(this.ctx, { event, app: this.ctx.app.name, ...rest, time: new Date().toISOString() }));
  }

  async settled(): Promise<string[]> {
    return (await Promise.all(this.pending)).flat();
  }
}

/**
 * Runs an operation that announces what it did: `body` sends while it holds its locks (and
 * releases them before it returns); the posts are awaited after, so a slow webhook holds up
 * no other operation and the operation still ends within each webhook's bound.
 */
export async function announcing<T>(ctx: { app: AppConfig; reporter: Reporter }, body: (announcements: Announcements) => Promise<T>): Promise<T> {
  const announcements = new Announcements(ctx);
  try {
    return await body(announcements);
  } finally {
    await announcements.settled();
  }
}
