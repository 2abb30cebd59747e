import { fromHost, HOST_TEXT_LIMITS } from '../../hostText';
import { Redacted } from '../../redact';
import { remote } from '../../remote/scripts';
import { MARK_PREFIX } from '../../ssh/output';
import { ServerConfig } from '../../config/types';
import { serverHost } from '../../config/hostRefs';
import { OperationContext, remoteStep, WorkflowError } from './operation';
import { TargetCommit } from '../../plan/types';

const TARGET_MARK = `${MARK_PREFIX}target`;

/** Reads script target-commit.sh's output; undefined when it names no commit. */
export function parseTargetCommit(stdout: string): TargetCommit | undefined {
  const commit = new RegExp(`^${TARGET_MARK} ([0-9a-f]{40})$`, 'm').exec(stdout)?.[1];
  if (!commit) return undefined;
  const lines = stdout.split('\n');
  const packageLine = lines.find((l) => l.startsWith(`${TARGET_MARK}-package `));
  const subjectLine = lines.find((l) => l.trim() && !l.startsWith(MARK_PREFIX));
  return { commit, oneLine: subjectLine === undefined ? undefined : fromHost(subjectLine, HOST_TEXT_LIMITS.line), version: packageVersion(packageLine?.slice(`${TARGET_MARK}-package `.length)) };
}

function packageVersion(base64: string | undefined): Redacted | undefined {
  if (!base64) return undefined;
  try {
    const version = (JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as { version?: unknown }).version;
    return typeof version === 'string' && version ? fromHost(version, HOST_TEXT_LIMITS.word) : undefined;
  } catch {
    // Not JSON, or cut at 64 KiB: the dialog shows no version rather than a guess.
    return undefined;
  }
}

/**
 * Fetches on STANDBY's first server and resolves `ref` there, before the person is asked: the
 * dialog names the exact commit, and the deploy checks out that commit, not a newer tip.
 */
export async function readTargetCommit(ctx: OperationContext, server: ServerConfig, ref: string, stateNow: () => string): Promise<TargetCommit> {
  const r = await remoteStep(ctx, `Read what ${ref} is`, serverHost(server), remote.targetCommit(server.dir, ctx.app.deploy.remote, ref, TARGET_MARK), stateNow, { label: server.name });
  const target = parseTargetCommit(r.stdout);
  if (!target) throw new WorkflowError('step-failed', `Read what ${ref} is`, server.name, 'git did not report the commit', stateNow());
  return target;
}
