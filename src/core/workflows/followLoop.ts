import { errorMessage, isBlueGreenError } from '../errors';
import { Redacted } from '../redact';
import type { StagingDeployResult } from './deployToStaging';
import { decideFollow, FollowMemory, LastRun } from './parts/followDecision';

/** What a following loop says as it goes; the CLI prints one line each, the editor shows the last. */
export type FollowEvent =
  /** The branch is at a commit the loop had not seen it at. */
  | { kind: 'tip'; commit: string }
  /** Staging runs the tip and it passed there: nothing to do. */
  | { kind: 'unchanged'; commit: string }
  /** The tip failed on staging: it is not tried again until the branch moves. */
  | { kind: 'failed-before'; commit: string }
  | { kind: 'deploying'; commit: string }
  /** The deploy ended and recorded its outcome, passed or failed. */
  | { kind: 'deployed'; commit: string; result: StagingDeployResult }
  /** Tips seen during a deploy that the branch moved past before it ended: never deployed. */
  | { kind: 'skipped'; commits: string[]; newest: string }
  /** The tip or the record could not be read, or a deploy stopped with an error (`commit`: not tried again until the branch moves, unless staging was only locked). */
  | { kind: 'error'; message: Redacted; commit?: string };

/** How following reads and acts; followStaging builds them over SSH, unit tests over fakes. */
export interface FollowPorts {
  readTip(signal?: AbortSignal): Promise<string>;
  readLastRun(): Promise<LastRun | undefined>;
  deploy(commit: string): Promise<StagingDeployResult>;
}

export interface FollowLoopOptions {
  /** Between checks, and between reads of the tip while a deploy runs. */
  intervalMs: number;
  /** One check (and its deploy, if the tip moved), then return. */
  once?: boolean;
  onEvent?(e: FollowEvent): void;
  signal?: AbortSignal;
}

export interface FollowOutcome {
  /** The last check could not be made, or its deploy failed. */
  failed: boolean;
}

/**
 * Checks the branch every interval and deploys its tip when staging does not run it, one deploy
 * at a time. Tips that arrive during a deploy are read but not queued: after the deploy the tip
 * is read again and only the newest is deployed. No failure ends the loop; only the signal does.
 */
export async function followLoop(ports: FollowPorts, o: FollowLoopOptions): Promise<FollowOutcome> {
  let memory: FollowMemory = {};
  let shownTip: string | undefined;
  const emit = (e: FollowEvent) => {
    // A listener that throws (a closed output) must not stop staging following its branch.
    try {
      o.onEvent?.(e);
    } catch {
      /* the next event is tried again */
    }
  };
  const stopped = () => !!o.signal?.aborted;
  const noteTip = (commit: string) => {
    if (commit !== shownTip) emit({ kind: 'tip', commit });
    shownTip = commit;
  };
  const failure = (e: unknown, commit?: string): FollowOutcome => {
    emit({ kind: 'error', message: errorMessage(e), ...(commit ? { commit } : {}) });
    return { failed: true };
  };

  async function check(): Promise<FollowOutcome> {
    let tip: string;
    try {
      tip = await ports.readTip(o.signal);
    } catch (e) {
      return stopped() ? { failed: false } : failure(e);
    }
    noteTip(tip);
    for (;;) {
      let last: LastRun | undefined;
      try {
        last = await ports.readLastRun();
      } catch (e) {
        return stopped() ? { failed: false } : failure(e);
      }
      const judged = decideFollow(tip, last, memory);
      memory = judged.memory;
      const { decision } = judged;
      if (decision.action !== 'deploy') {
        emit({ kind: decision.action, commit: decision.commit });
        return { failed: false };
      }
      const during = watchTips(ports, o.intervalMs, o.signal, noteTip);
      let outcome: FollowOutcome;
      try {
        emit({ kind: 'deploying', commit: tip });
        const result = await ports.deploy(tip);
        if (!result.passed) memory = { failed: tip };
        emit({ kind: 'deployed', commit: tip, result });
        outcome = { failed: !result.passed };
      } catch (e) {
        if (stopped()) return { failed: false };
        // Another deploy holding staging's lock says nothing about this commit: tried again next time.
        if (!isBlueGreenError(e, 'locked')) memory = { failed: tip };
        outcome = failure(e, isBlueGreenError(e, 'locked') ? undefined : tip);
      }
      const seen = await during.stop();
      if (o.once || stopped()) return outcome;
      let newest: string;
      try {
        newest = await ports.readTip(o.signal);
      } catch (e) {
        return stopped() ? outcome : failure(e);
      }
      noteTip(newest);
      const skipped = seen.filter((c) => c !== tip && c !== newest);
      if (skipped.length) emit({ kind: 'skipped', commits: skipped, newest });
      tip = newest;
    }
  }

  for (;;) {
    if (stopped()) return { failed: false };
    const outcome = await check();
    if (o.once || stopped()) return outcome;
    await pause(o.intervalMs, o.signal);
  }
}

/** Reads the tip every interval while a deploy runs; `stop` ends it and gives the tips seen, oldest first. */
function watchTips(ports: FollowPorts, intervalMs: number, signal: AbortSignal | undefined, onTip: (commit: string) => void): { stop(): Promise<string[]> } {
  const seen: string[] = [];
  const done = new AbortController();
  const forward = () => done.abort();
  signal?.addEventListener('abort', forward, { once: true });
  const running = (async () => {
    for (;;) {
      await pause(intervalMs, done.signal);
      if (done.signal.aborted) return;
      try {
        const commit = await ports.readTip(done.signal);
        if (!seen.includes(commit)) seen.push(commit);
        onTip(commit);
      } catch {
        // Tried again at the next interval; the read after the deploy reports a failure.
      }
    }
  })();
  return {
    async stop() {
      done.abort();
      signal?.removeEventListener('abort', forward);
      await running;
      return seen;
    },
  };
}

/** Waits `ms`, or less when the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}
