import { SlotName } from '../../config/types';
import { errorMessage } from '../../errors';
import { rawFields, StateRead, stateAfterSwitch, stateWithoutWatch, SwitchRecord, WatchRecord } from '../../state/stateFile';
import { AppSnapshot, SlotSnapshot, slotLabel } from '../../status/snapshot';
import { readLbFiles, writeStateFile } from './lbFiles';
import { slotSummary } from '../../status/describe';
import { changeOne } from './lbChange';
import { switchBack } from './switchTo';
import { OperationContext } from './operation';

/**
 * Routes one LB's app back to `from` through the pipeline's switchBack change, from its config
 * as it is now, and says where traffic is: for a switch back long after the switch, when the
 * config kept by it may not be the one to return to.
 */
export async function routeBack(ctx: OperationContext, before: AppSnapshot, from: SlotName, to: SlotName, several: boolean): Promise<string> {
  const lb = ctx.app.loadBalancer;
  const files = await readLbFiles(ctx, `HAProxy still routes to ${slotLabel(to)}.`);
  const back = await changeOne({ ctx: { ...ctx, signal: undefined }, now: files }, switchBack(before, from, to, several), () => `HAProxy still routes to ${slotLabel(to)}: check the config on ${lb.ssh} now.`);
  if (!back) return `LIVE is already ${slotSummary(before.slots[from])}.`;
  if (back.ok) ctx.onRouted?.(from);
  return back.ok ? `LIVE is ${slotSummary(before.slots[from])}.` : `the frontend does not answer from ${slotLabel(from)} yet (${back.why}): check HAProxy on ${lb.ssh} now.`;
}

type SwitchFacts = Omit<SwitchRecord, 'who' | 'at' | 'fromVersion' | 'toVersion' | 'fromCommit' | 'toCommit'> & { fromSlot: SlotSnapshot; toSlot: SlotSnapshot; watch?: WatchRecord };

/** Records a switch in the state file; returns the fields written, or undefined when it could not. */
export async function recordSwitch(ctx: OperationContext, read: StateRead, facts: SwitchFacts): Promise<Record<string, unknown> | undefined> {
  const { fromSlot, toSlot, watch, ...rest } = facts;
  const next = stateAfterSwitch(rawFields(read), { ...rest, fromVersion: fromSlot.version, toVersion: toSlot.version, fromCommit: fromSlot.commit, toCommit: toSlot.commit, who: ctx.who, at: new Date().toISOString() }, ctx.app.loadBalancer.historyKept, watch);
  try {
    await writeStateFile(ctx, 'Record the switch in the state file', read, next.state, () => `${slotLabel(facts.to)} is LIVE, but the state file was not updated (drift until reconciled).`, undefined, next.moved);
    return next.state;
  } catch (e) {
    ctx.reporter.warn(errorMessage(e));
    return undefined;
  }
}

/** Removes the watch from the state file (under the caller's lock); a failure is said, not thrown: the switch stands. */
export async function endWatchRecord(ctx: OperationContext, read: StateRead): Promise<void> {
  if (read.kind !== 'ok' || !read.state.watch) return;
  try {
    await writeStateFile(ctx, 'End the watch in the state file', read, stateWithoutWatch(read.state.raw), () => 'The watch record stays in the state file: stop it with bluegreen watch --stop.');
  } catch (e) {
    ctx.reporter.warn(errorMessage(e));
  }
}
