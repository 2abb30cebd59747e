import { shownWebhook } from '../notify/shownUrl';
import { ConfigProblem } from './problems';
import { AppConfig, WebhookConfig } from './types';
import { DocPath, Locator } from './yamlPositions';

/**
 * Each app's webhooks: the top-level `notify:` list, then the app's own. An app's entry with
 * the url of a top-level one replaces it for that app (its format, events, timeout), so one
 * app can narrow or silence (`events: []`) a webhook every other app uses.
 */
export function notifyOfApps(top: readonly WebhookConfig[] | undefined, apps: AppConfig[]): void {
  for (const app of apps) {
    const own = app.notify ?? [];
    app.notify = [...(top ?? []).filter((t) => !own.some((o) => o.url === t.url)), ...own];
  }
}

/** What the schema cannot say of a webhook list: an address a client can post to, and each once. Urls are shown as scheme and host only. */
export function notifyProblems(top: readonly WebhookConfig[] | undefined, apps: readonly AppConfig[], at: Locator): ConfigProblem[] {
  const lists: [DocPath, readonly WebhookConfig[] | undefined][] = [[['notify'], top], ...apps.map((app, i): [DocPath, readonly WebhookConfig[] | undefined] => [['apps', i, 'notify'], app.notify])];
  return lists.flatMap(([base, list]) => (list ?? []).flatMap((hook, j) => urlProblems(hook.url, list!.slice(0, j), [...base, j, 'url'], at)));
}

function urlProblems(url: string, earlier: readonly WebhookConfig[], where: DocPath, at: Locator): ConfigProblem[] {
  const dotted = where.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ ...at(where), message: `${dotted} is not a URL a client can post to; write the webhook's full http:// or https:// address` }];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return [{ ...at(where), message: `${dotted} starts with ${parsed.protocol}//; a webhook is posted to over http:// or https://` }];
  const first = earlier.findIndex((e) => e.url === url);
  if (first >= 0) return [{ ...at(where), message: `${dotted} (${shownWebhook(url)}) is listed twice in this notify: list (first at [${first}]); merge the two entries (events: lists both)` }];
  return [];
}
