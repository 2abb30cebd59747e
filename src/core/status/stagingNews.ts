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
export function stagingNews(seen: ReadonlyMap<string, number>, apps: readonly AppSnapshot[], now = Date.now()): { news: StagingNewsItem[]; seen: Map<string, number> } {
  const next = new Map(seen);
  const news: StagingNewsItem[] = [];
  for (const app of apps) {
    const entry = app.staging?.last;
    const at = entry ? Date.parse(entry.at) : NaN;
    // The record is the staging host's word: a time that does not parse, or lies ahead of this
    // clock by more than a skew, is no news and must not hide the real ones after it.
    if (!entry || Number.isNaN(at) || at > now + CLOCK_SKEW_MS) continue;
    const before = seen.get(app.name);
    // A cancelled deploy is not news: whoever cancelled it knows.
    if (before !== undefined && at > before && !entry.cancelled) news.push({ app: app.name, entry });
    if (before === undefined || at > before) next.set(app.name, at);
  }
  return { news, seen: next };
}

/** How far ahead of this machine's clock another machine's may be and still be believed. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The sentence a webhook and a notification share: "v1.3.0 passed staging — ready for production". */
export function stagingNewsText(item: StagingNewsItem): string {
  const { entry } = item;
  const what = `${entry.version ? `v${entry.version} ` : ''}(${entry.commit?.slice(0, 7) ?? entry.ref})`;
  return entry.passed ? `${item.app}: ${what} passed staging — ready for production` : `${item.app}: ${what} FAILED on staging${entry.failedStep ? ` at "${entry.failedStep}"` : ''}${entry.detail ? `: ${entry.detail}` : ''}`;
}
