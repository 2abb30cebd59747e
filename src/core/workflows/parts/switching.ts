import { SlotName } from '../../config/types';
import { errorMessage } from '../../errors';
import { rawFields, StateRead, stateAfterSwitch, stateWithoutWatch, SwitchRecord, WatchRecord } from '../../state/stateFile';
import { AppSnapshot, SlotSnapshot, slotLabel } from '../../status/snapshot';
import { readLbFiles, writeStateFile } from './lbFiles';
import { findRouting, withRouting } from '../../haproxy/config';
import { slotSummary } from '../../status/describe';
import { verifyLive } from './verify';
import { OperationContext } from './operation';
import { replaceConfig } from './replaceConfig';

/**
 * Routes the app back to `from` by rewriting only its routing line in the config as it is now
 * (whatever else changed since the switch stays), then checks through the frontend. For a
 * switch back long after the switch, when the config kept by it may not be the one to return to.
 */
export async function routeBack(ctx: OperationContext, before: AppSnapshot, from: SlotName, to: SlotName, title: string): Promise<string> {
  const { app } = ctx;
  const lb = app.loadBalancer;
  const files = await readLbFiles(ctx, `HAProxy still routes to ${slotLabel(to)}.`);
  const routing = findRouting(files.config, lb.frontend, lb.acl);
  if (routing.backend === app.slots[from].backend) return `LIVE is already ${slotSummary(before.slots[from])}.`;
  const next = withRouting(files.config, lb.frontend, lb.acl, app.slots[from].backend);
  await replaceConfig({ ...ctx, signal: undefined }, title, files.configSha256, next, () => `HAProxy still routes to ${slotLabel(to)}: check the config on ${lb.ssh} now.`, `HAProxy still routes to ${slotLabel(to)}.`);
  const back = await verifyLive({ ...ctx, signal: undefined }, before, from, false);
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
