import * as path from 'node:path';
import { errorMessage } from '../../errors';
import { remote } from '../../remote/scripts';
import { lockFileOf } from '../../state/stateFile';
import { MARK_PREFIX } from '../../ssh/output';
import { lbHost } from '../../config/hostRefs';
import { HostRef } from '../../ssh/runner';
import { OperationContext, WorkflowError } from './operation';

const HELD = `${MARK_PREFIX}lock-held`;
const BUSY = `${MARK_PREFIX}lock-busy`;
/** The holder lives as long as the operation; this only bounds a forgotten one. */
const MAX_HOLD_MS = 6 * 60 * 60 * 1000;

export interface HeldLock {
  /** False once the holder's connection dropped: stop before changing anything else. */
  readonly held: boolean;
  /** Aborts when the lock is lost (not when it is released): a step running then is stopped. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/** A lock other than the app's on the LB host: staging's, on its first server (`folder` made first when missing). */
export interface LockPlace {
  host: HostRef;
  /** How errors name the host. */
  name: string;
  file: string;
  folder?: string;
}

/**
 * Takes the app's lock on the LB host (or the one `place` names) with flock(1), held by a remote shell that lives until
 * we release it. If this process or its connection dies, that shell gets EOF and exits, and
 * the kernel frees the lock: there is never a stale lock to clean up by hand.
 */
export async function acquireLock(ctx: OperationContext, operation: string, stateNow: string, place?: LockPlace): Promise<HeldLock> {
  const lock = place?.file ?? lockFileOf(ctx.app.loadBalancer.stateFile);
  const info = JSON.stringify({ who: ctx.who, operation, app: ctx.app.name, since: new Date().toISOString() });
  // The state file's folder is made when missing: a new config's first operation takes the first lock there.
  const script = remote.lock(lock, info, HELD, BUSY, place ? place.folder : path.posix.dirname(ctx.app.loadBalancer.stateFile));

  const releaseSignal = new AbortController();
  const lost = new AbortController();
  let held = false;
  let busy: string | undefined;
  let acquired!: () => void;
  const acquiredPromise = new Promise<void>((resolve) => (acquired = resolve));
  const ended = ctx.runner
    .run(place?.host ?? lbHost(ctx.app), script, {
      holdStdinUntil: releaseSignal.signal,
      timeoutMs: MAX_HOLD_MS,
      onStdout: (line) => {
        if (line === HELD) {
          held = true;
          acquired();
        } else if (line.startsWith(BUSY)) busy = line.slice(BUSY.length).trim();
      },
    })
    .then(
      (r) => ({ ok: true as const, code: r.code, stderr: r.stderr }),
      (e: unknown) => ({ ok: false as const, error: errorMessage(e) }),
    )
    .finally(() => {
      const had = held;
      held = false;
      if (had && !releaseSignal.signal.aborted) lost.abort(new Error('the lock was lost'));
    });

  const first = await Promise.race([acquiredPromise.then(() => 'held' as const), ended]);
  if (first !== 'held') {
    const host = place?.name ?? ctx.app.loadBalancer.ssh;
    if (busy !== undefined) throw new WorkflowError('locked', 'Lock', host, describeHolder(busy), stateNow);
    const why = first.ok ? first.stderr.trim() || `exit code ${first.code}` : first.error;
    throw new WorkflowError('step-failed', 'Lock', host, `cannot take the lock ${lock}: ${why}`, stateNow);
  }
  return {
    get held() {
      return held;
    },
    lost: lost.signal,
    async release() {
      releaseSignal.abort();
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}

export function describeHolder(raw: string): string {
  try {
    const h = JSON.parse(raw) as { who?: string; operation?: string; since?: string };
    return `another operation holds the lock: locked by ${h.who ?? 'someone'} since ${h.since ?? '?'} (${h.operation ?? 'unknown operation'})`;
  } catch {
    return `another operation holds the lock (${raw || 'no holder recorded'})`;
  }
}
