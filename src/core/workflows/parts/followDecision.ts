/** What staging's record says its last deploy was. */
export interface LastRun {
  commit?: string;
  passed: boolean;
  /** Stopped by a person before it ended: the commit did not fail, it was not tried to the end. */
  cancelled?: boolean;
}

/**
 * What following remembers between checks: the commit whose deploy failed in this loop. The
 * record says so too, but not when the deploy failed before it could write there (the
 * connection dropped), and not after someone deployed something else to staging meanwhile.
 */
export interface FollowMemory {
  failed?: string;
}

export type FollowDecision =
  /** Staging does not run the tip yet: deploy it. */
  | { action: 'deploy'; commit: string }
  /** Staging runs the tip and it passed there. */
  | { action: 'unchanged'; commit: string }
  /** The tip failed on staging: not tried again until the branch moves. */
  | { action: 'failed-before'; commit: string };

/** The record's commit may be short (anyone can write the record); the tip is always 40 digits. */
function same(tip: string, commit: string | undefined): boolean {
  return !!commit && commit.length >= 7 && tip.startsWith(commit);
}

/**
 * One check of a following loop: given the branch's tip, the record's last deploy and what the
 * loop remembers, what to do, and what to remember next. A branch that moved away from the
 * failed commit clears it: if the branch ever comes back to it, that is a new push, worth a try.
 * A deploy a person cancelled said nothing about its commit: the tip is deployed again.
 */
export function decideFollow(tip: string, last: LastRun | undefined, memory: FollowMemory): { decision: FollowDecision; memory: FollowMemory } {
  const next: FollowMemory = memory.failed === tip ? memory : {};
  if (same(tip, last?.commit) && !last!.cancelled) return { decision: { action: last!.passed ? 'unchanged' : 'failed-before', commit: tip }, memory: next };
  if (memory.failed === tip) return { decision: { action: 'failed-before', commit: tip }, memory: next };
  return { decision: { action: 'deploy', commit: tip }, memory: next };
}
