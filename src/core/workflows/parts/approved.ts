import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppConfig, SlotName } from '../../config/types';
import { ApprovalBinding } from '../../plan/confirm';
import { Plan } from '../../plan/types';
import { probeServer } from '../../status/probeServer';
import { slotLabel } from '../../status/snapshot';
import { OperationContext, WorkflowError } from './operation';

/** What the person is asked to approve: this operation, these slots at these commits, judged by this bluegreen.yaml. */
export function approvalBinding(plan: Plan, app: AppConfig): ApprovalBinding {
  return {
    id: randomUUID(),
    app: plan.app,
    kind: `${plan.intent.kind}${plan.intent.emergency ? ' (emergency)' : ''}${plan.intent.percent !== undefined ? ` ${plan.intent.percent}%` : ''}`,
    from: plan.live,
    to: plan.target,
    fromCommit: plan.liveSlot?.commit,
    toCommit: plan.targetSlot?.commit,
    configSha256: app.source?.sha256,
  };
}

/**
 * After the yes, under the lock: the change goes ahead only if what was approved is still so —
 * bluegreen.yaml's text and both slots' commits (which slot is LIVE is checked with the
 * routing, under the lock, just after). Anything else was not approved, however the answer came.
 */
export async function stillAsApproved(ctx: OperationContext, binding: ApprovalBinding, title: string, unchanged: () => string): Promise<void> {
  const changed: string[] = [];
  const source = ctx.app.source;
  if (source && binding.configSha256) {
    const now = await readFile(source.file).then((text) => createHash('sha256').update(text).digest('hex'), () => 'unreadable');
    if (now !== binding.configSha256) changed.push(`${source.file} ${now === 'unreadable' ? 'cannot be read any more' : 'was edited'}`);
  }
  // Which slot is LIVE is compared under the lock with every LB's config (readUnderLocks); here, what each slot runs.
  const approved = [[binding.from, binding.fromCommit], [binding.to, binding.toCommit]] as const;
  const running = await Promise.all(approved.map(([slot]) => (slot ? commitOf(ctx, slot) : undefined)));
  approved.forEach(([slot, commit], i) => {
    if (slot && running[i] !== commit) changed.push(`${slotLabel(slot)} now runs ${running[i]?.slice(0, 7) ?? 'an unknown commit'}, not ${commit?.slice(0, 7) ?? 'an unknown commit'}`);
  });
  if (changed.length) throw new WorkflowError('refused', title, undefined, `changed since it was approved: ${changed.join('; ')}; nothing was switched. Ask again to approve what is there now`, unchanged());
}

/** The commit every server of the slot runs, read from git on each; undefined when they differ or cannot be read. */
async function commitOf(ctx: OperationContext, slot: SlotName): Promise<string | undefined> {
  const commits = await Promise.all(ctx.app.slots[slot].servers.map((server) => probeServer(ctx.runner, server, ctx.signal).then((r) => r.commit)));
  return new Set(commits).size === 1 ? commits[0] : undefined;
}
