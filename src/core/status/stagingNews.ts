import type { StagingEntry } from '../state/stagingRecord';
import type { AppSnapshot } from './snapshot';

export interface StagingNewsItem {
  app: string;
  entry: StagingEntry;
}

/**
 * What staging did since the last read, per app: a deploy whose record entry ended after the
 * last one seen (a CI job's, a follower's, another person's). An app seen for the first time
 * is no news (a window opening does not announce old outcomes), and neither is an older entry
 * (a read that started before this window's own deploy ended).
 */
export function stagingNews(seen: ReadonlyMap<string, string>, apps: readonly AppSnapshot[]): { news: StagingNewsItem[]; seen: Map<string, string> } {
  const next = new Map(seen);
  const news: StagingNewsItem[] = [];
  for (const app of apps) {
    const entry = app.staging?.last;
    if (!entry) continue;
    const before = seen.get(app.name);
    // A cancelled deploy is not news: whoever cancelled it knows.
    if (before !== undefined && entry.at > before && !entry.cancelled) news.push({ app: app.name, entry });
    if (before === undefined || entry.at > before) next.set(app.name, entry.at);
  }
  return { news, seen: next };
}

/** The sentence a webhook and a notification share: "v1.3.0 passed staging — ready for production". */
export function stagingNewsText(item: StagingNewsItem): string {
  const { entry } = item;
  const what = `${entry.version ? `v${entry.version} ` : ''}(${entry.commit?.slice(0, 7) ?? entry.ref})`;
  return entry.passed ? `${item.app}: ${what} passed staging — ready for production` : `${item.app}: ${what} FAILED on staging${entry.failedStep ? ` at "${entry.failedStep}"` : ''}${entry.detail ? `: ${entry.detail}` : ''}`;
}
