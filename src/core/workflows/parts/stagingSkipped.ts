import { lbHost } from '../../config/hostRefs';
import { SlotName } from '../../config/types';
import { Redacted } from '../../redact';
import { stateFromRead, stateReadScript, stateWithStagingSkipped } from '../../state/stateFile';
import { writeStateFile } from './lbFiles';
import { OperationContext, WorkflowError } from './operation';

const TITLE = 'Record the skipped staging in the history';

/**
 * Writes the override to the state file on the load balancer whose lock the deploy holds (the
 * first), before STANDBY is touched: a deploy past the promotion gate that cannot be recorded
 * does not happen. A state file that is missing or unreadable is not replaced for this: the
 * deploy is refused, and Reconcile is where a state file is made again.
 */
export async function recordStagingSkipped(ctx: OperationContext, facts: { slot: SlotName; commit: string; version?: string; reason: Redacted; overrode: Redacted; approvedVia?: string }, nothing: string): Promise<void> {
  const lb = ctx.app.loadBalancer;
  const r = await ctx.runner.run(lbHost(ctx.app), stateReadScript(lb.stateFile), { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
  const read = stateFromRead(r.code, r.stdout);
  if (read.kind !== 'ok') {
    const why = read.kind === 'missing' ? 'there is none' : read.kind === 'corrupt' ? `it cannot be read: ${read.error}` : `it is ${read.bytes} bytes`;
    throw new WorkflowError('refused', TITLE, lb.ssh, `a deploy that skips staging is recorded in the state file ${lb.stateFile}, and ${why}. Reconcile the state file first`, nothing);
  }
  const next = stateWithStagingSkipped(read.state.raw, { ...facts, who: ctx.who, at: new Date().toISOString() }, lb.historyKept);
  await writeStateFile(ctx, TITLE, read, next.state, () => nothing, undefined, next.moved);
}
