import { WebhookConfig } from '../config/types';
import { Redacted, redact, redactedJson } from '../redact';
import { eventSentence, NotifyEvent } from './event';

/**
 * The body posted for an event, redacted whole: a reason or a failed step's detail is text a
 * person or a host wrote. `slack`: `{"text": …}`, which Slack's incoming webhooks (and
 * Mattermost's, Rocket.Chat's) take; `json`: the event's fields and the same sentence as `text`.
 */
export function webhookBody(format: WebhookConfig['format'], e: NotifyEvent): Redacted {
  const text = redact(eventSentence(e));
  if (format === 'slack') return redactedJson({ text: slackEscaped(text) });
  return redactedJson({ ...e, text });
}

/** Slack reads `<…>` as a link or a mention and `&` as an entity: its docs ask for these three escaped. */
function slackEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
