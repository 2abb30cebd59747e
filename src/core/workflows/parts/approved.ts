import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppConfig } from '../../config/types';
import { ApprovalBinding } from '../../plan/confirm';
import { Plan } from '../../plan/types';
import { snapshotApp } from '../../status/refresh';
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
 * bluegreen.yaml's text, which slot is LIVE, and both slots' commits. Anything else was not
 * approved, however the answer came.
 */
export async function stillAsApproved(ctx: OperationContext, binding: ApprovalBinding, title: string, unchanged: () => string): Promise<void> {
  const changed: string[] = [];
  const source = ctx.app.source;
  if (source && binding.configSha256) {
    const now = await readFile(source.file).then((text) => createHash('sha256').update(text).digest('hex'), () => 'unreadable');
    if (now !== binding.configSha256) changed.push(`${source.file} ${now === 'unreadable' ? 'cannot be read any more' : 'was edited'}`);
  }
  const snap = await snapshotApp(ctx.runner, ctx.app, ctx.signal);
  if (snap.live !== binding.from) changed.push(`LIVE is now ${snap.live ? slotLabel(snap.live) : 'unknown'}, not ${binding.from ? slotLabel(binding.from) : 'unknown'}`);
  for (const [slot, commit] of [[binding.from, binding.fromCommit], [binding.to, binding.toCommit]] as const) {
    const now = slot && snap.slots[slot]?.commit;
    if (slot && now !== commit) changed.push(`${slotLabel(slot)} now runs ${now?.slice(0, 7) ?? 'an unknown commit'}, not ${commit?.slice(0, 7) ?? 'an unknown commit'}`);
  }
  if (changed.length) throw new WorkflowError('refused', title, undefined, `changed since it was approved: ${changed.join('; ')}; nothing was switched. Ask again to approve what is there now`, unchanged());
}
