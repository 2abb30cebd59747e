import { serverHost } from '../config/hostRefs';
import { AppConfig } from '../config/types';
import { errorMessage } from '../errors';
import { redact } from '../redact';
import { CommandRunner } from '../ssh/runner';
import { stagingFiles, stagingFromRead, stagingReadScript } from '../state/stagingRecord';
import { StagingSnapshot } from './snapshot';

/**
 * The app's staging as its record says: one bounded read on its first server, no probe of the
 * servers themselves, so a refresh costs one small command more per app with a staging.
 */
export async function readStaging(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<StagingSnapshot | undefined> {
  const staging = app.staging;
  if (!staging) return undefined;
  const first = staging.servers[0];
  const { record } = stagingFiles(first.dir, app.name);
  const base = { host: first.name, branch: staging.branch, file: record };
  try {
    const r = await runner.run(serverHost(first), stagingReadScript(record), { signal, timeoutMs: 20000, lane: 'probe' });
    const read = stagingFromRead(r.code, r.stdout);
    if (read.kind === 'missing') return { ...base, reachable: true, status: 'never-deployed' };
    if (read.kind === 'unreadable') return { ...base, reachable: true, status: 'unreadable', error: redact(read.error) };
    const [last] = read.record.history;
    return { ...base, reachable: true, status: 'ok', ...(last ? { last } : {}) };
  } catch (e) {
    return { ...base, reachable: false, status: 'unknown', error: errorMessage(e) };
  }
}
