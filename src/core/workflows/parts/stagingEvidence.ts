import { serverHost } from '../../config/hostRefs';
import { AppConfig } from '../../config/types';
import { errorMessage } from '../../errors';
import { StagingEvidence } from '../../plan/types';
import { redact } from '../../redact';
import { StagingRecord, stagingFiles, stagingFromRead, stagingReadScript } from '../../state/stagingRecord';
import { CommandRunner } from '../../ssh/runner';

/**
 * What staging's record says of `commit`, read now from the first staging server (one bounded
 * read); undefined when the app has no staging. A record that cannot be read is said, never
 * taken for a pass.
 */
export async function readStagingEvidence(runner: CommandRunner, app: AppConfig, commit: string, signal?: AbortSignal): Promise<StagingEvidence | undefined> {
  const first = app.staging?.servers[0];
  if (!first) return undefined;
  const base = { commit, host: first.name };
  try {
    const r = await runner.run(serverHost(first), stagingReadScript(stagingFiles(first.dir, app.name).record), { signal, timeoutMs: 20000, lane: 'probe' });
    const read = stagingFromRead(r.code, r.stdout);
    if (read.kind === 'missing') return base;
    if (read.kind === 'unreadable') return { ...base, unread: redact(read.error) };
    return { ...base, ...entriesFor(read.record, commit) };
  } catch (e) {
    if (signal?.aborted) throw e;
    return { ...base, unread: redact(errorMessage(e)) };
  }
}

/**
 * The newest entry for the commit, and the last deploy. Only the full id counts (what a deploy
 * records): an abbreviated one written by hand could name another commit.
 */
export function entriesFor(record: StagingRecord, commit: string): Pick<StagingEvidence, 'entry' | 'last'> {
  const entry = record.history.find((e) => e.commit !== undefined && e.commit.toLowerCase() === commit.toLowerCase());
  const [last] = record.history;
  return { ...(entry ? { entry } : {}), ...(last ? { last } : {}) };
}
