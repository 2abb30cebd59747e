import { serverHost } from '../../config/hostRefs';
import { AppConfig } from '../../config/types';
import { BlueGreenError } from '../../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../../hostText';
import { remote } from '../../remote/scripts';
import { MARK_PREFIX } from '../../ssh/output';
import { CommandRunner } from '../../ssh/runner';

const TIP_MARK = `${MARK_PREFIX}tip`;

/** Reads branch-tip.sh's output: the commit on its marked line, or undefined. */
export function parseBranchTip(stdout: string): string | undefined {
  return new RegExp(`^${TIP_MARK} ([0-9a-f]{40})$`, 'm').exec(stdout)?.[1];
}

/**
 * Where staging's branch is on the git remote, asked from the first staging server (the
 * machine that fetches it on a deploy, so with its credentials and its view of the network).
 * Nothing is fetched or changed. Throws a BlueGreenError that says why it could not be read.
 */
export async function readBranchTip(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<string> {
  const staging = app.staging;
  if (!staging) throw new BlueGreenError('refused', `${app.name} has no staging: in bluegreen.yaml`);
  const first = staging.servers[0];
  const r = await runner.run(serverHost(first), remote.branchTip(first.dir, app.deploy.remote, staging.branch, TIP_MARK), { signal, timeoutMs: 30000, lane: 'probe' });
  const commit = r.code === 0 ? parseBranchTip(r.stdout) : undefined;
  if (commit) return commit;
  // git's own last line says why (no such remote, no access); it is the host's claim, so bounded.
  const said = r.stderr.split('\n').filter((l) => l.trim()).at(-1);
  const why = r.code === 3 ? `${app.deploy.remote} has no branch ${staging.branch}` : said ? fromHost(said, HOST_TEXT_LIMITS.line) : r.code === 0 ? 'git named no commit' : `exit code ${r.code ?? r.signal ?? '?'}`;
  throw new BlueGreenError('step-failed', `Reading where ${staging.branch} is (git ls-remote on ${first.name}) failed: ${why}`, first.name);
}
