/**
 * A webhook's address as output may show it: scheme and host only. A webhook's secret is
 * usually its path or query (Slack's /services/T…/B…/…, Discord's /api/webhooks/ID/TOKEN,
 * `?token=`), which no pattern of redact() can know, so everything after the host is hidden.
 */
export function shownWebhook(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return 'a webhook (its url does not parse)';
  }
}
