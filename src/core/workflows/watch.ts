import { appViaEach } from '../config/appVia';
import { otherSlot, SlotName } from '../config/types';
import { redact } from '../redact';
import { shQuote } from '../shell';
import { lockFileOf, parseState, stateText, watchStopFileOf, WatchRecord } from '../state/stateFile';
import { lbHost } from '../config/hostRefs';
import { parseLockHolder } from '../status/parse';
import { timeLeft } from '../format';
import { snapshotApp } from '../status/refresh';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { remote } from '../remote/scripts';
import { slotSummary } from '../status/describe';
import { readLbFiles } from './parts/lbFiles';
import { lockEach, releaseEach } from './parts/lbLocks';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';
import { endWatchRecord, recordSwitch, routeBack } from './parts/switching';
import { watchLive } from './parts/verify';
import { announcing, Announcements } from '../notify/announce';
import { sides } from '../notify/event';

/** How often a watch looks for a request to stop (`bluegreen watch --stop` from anywhere). */
const STOP_POLL_MS = 5000;

export interface WatchPlan {
  before: AppSnapshot;
  from: SlotName;
  to: SlotName;
  /** Emergency: only routing away from the new LIVE counts as failing. */
  requireHealthy: boolean;
  until: number;
  /** Each LB's state file as the switch left it (its watch record included), to end the record from. */
  recorded?: (Record<string, unknown> | undefined)[];
  /** Where a switch back is announced (posted in the background; the caller awaits it after its locks). */
  announcements?: Announcements;
}

/** The record a release writes with its switch, when it is going to watch. */
export function watchRecord(ctx: OperationContext, to: SlotName, until: number): WatchRecord {
  return { slot: to, until: new Date(until).toISOString(), since: new Date().toISOString(), by: ctx.who };
}

/**
 * Watches the new LIVE until the plan's end, under the caller's lock. Failing: traffic is
 * switched back and the history says why (thrown). Held up, stopped or cancelled: the watch
 * record is removed. A process that dies leaves the record, and the watch can be resumed.
 */
export async function watchAndSettle(ctx: OperationContext, p: WatchPlan): Promise<{ stopped?: string }> {
  const { app } = ctx;
  const seconds = Math.max(0, Math.round((p.until - Date.now()) / 1000));
  const stopFile = watchStopFileOf(app.loadBalancer.stateFile);
  await ctx.runner.run(lbHost(app), `rm -f -- ${shQuote(stopFile)}`, { lane: 'step', timeoutMs: 15000 }).catch(() => undefined);
  let stopped: string | undefined;
  let lastPoll = Date.now();
  const stopRequested = async () => {
    if (Date.now() - lastPoll < STOP_POLL_MS) return undefined;
    lastPoll = Date.now();
    const r = await ctx.runner.run(lbHost(app), `cat -- ${shQuote(stopFile)} 2>/dev/null`, { lane: 'probe', timeoutMs: 10000 }).catch(() => undefined);
    if (r?.code === 0) stopped = r.stdout.trim() || 'someone';
    return stopped;
  };
  const failing = await watchLive(ctx, p.before, p.to, p.requireHealthy, { seconds, stopRequested });
  // Switching back, and ending the record after a Cancel, are what a Cancel would want: not cut short by it.
  // The watch looks through the first load balancer; what it decides is done on every one.
  const each = appViaEach(app).map((via, i) => ({ ctx: { ...ctx, app: via, signal: undefined } as OperationContext, read: p.recorded?.[i] ? parseState(stateText(p.recorded[i]!)) : undefined }));
  if (failing) {
    const fromSlot = p.before.slots[p.from];
    const toSlot = p.before.slots[p.to];
    ctx.reporter.warn(`${slotLabel(p.to)} is failing after the switch; switching traffic back to ${slotLabel(p.from)} automatically`);
    const said: string[] = [];
    for (const { ctx: settle, read } of each) {
      const lb = settle.app.loadBalancer;
      const back = await routeBack(settle, p.before, p.from, p.to, each.length > 1);
      said.push(each.length > 1 ? `${lb.ssh}: ${back}` : back);
      const now = await readLbFiles(settle, `LIVE is ${slotLabel(p.from)}.`).then((f) => f.state, () => read);
      await recordSwitch(settle, now ?? { kind: 'missing' }, { from: p.to, to: p.from, fromSlot: toSlot, toSlot: fromSlot, kind: 'auto-rollback', reason: redact(failing) });
    }
    p.announcements?.send({ event: 'switch-back', from: p.to, to: p.from, versions: sides(toSlot.version, fromSlot.version), commits: sides(toSlot.commit, fromSlot.commit), who: ctx.who, reason: failing });
    throw new WorkflowError('step-failed', `Watch ${slotLabel(p.to)}`, app.loadBalancer.ssh, failing, `Traffic was switched back automatically: ${said.join(' ')} The history records it.`);
  }
  for (const { ctx: settle, read } of each) if (read) await endWatchRecord(settle, read);
  if (stopped) await ctx.runner.run(lbHost(app), `rm -f -- ${shQuote(stopFile)}`, { lane: 'step', timeoutMs: 15000 }).catch(() => undefined);
  return { stopped };
}

/**
 * `bluegreen watch` / Resume Watch: goes on with a watch whose process ended (the editor was
 * closed), from the state file's record, for the time it has left.
 */
export async function resumeWatch(given: OperationContext): Promise<{ summary: string }> {
  const ctx = steady(given);
  return announcing(ctx, (announcements) => resumeUnderLocks(ctx, announcements));
}

async function resumeUnderLocks(ctx: OperationContext, announcements: Announcements): Promise<{ summary: string }> {
  const { app } = ctx;
  // A switch back changes every load balancer: the watch holds all their locks, like the release did.
  const lbs = await lockEach(ctx, 'watch', 'Nothing was changed.');
  try {
    const files = await readLbFiles(ctx, 'Nothing was changed.');
    const watch = files.state.kind === 'ok' ? files.state.state.watch : undefined;
    if (!watch) return { summary: `${app.name}: no watch is recorded in the state file; nothing to resume.` };
    if (Date.parse(watch.until) <= Date.now()) {
      await endWatchRecord(ctx, files.state);
      return { summary: `${app.name}: the watch of ${slotLabel(watch.slot)} ended at ${watch.until}; its record was removed.` };
    }
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, app, ctx.signal));
    if (before.live !== watch.slot) {
      await endWatchRecord(ctx, files.state);
      return { summary: `${app.name}: ${slotLabel(watch.slot)} is no longer LIVE (HAProxy routes to ${before.live ? slotLabel(before.live) : 'neither slot'}); the watch record was removed.` };
    }
    ctx.reporter.info(`Resuming the watch of ${slotLabel(watch.slot)} started by ${watch.by}: ${timeLeft(watch.until)} left`);
    ctx.onRouted?.(watch.slot, Date.parse(watch.until));
    const recorded: (Record<string, unknown> | undefined)[] = [];
    for (const s of lbs) {
      const read = s.ctx.app === app ? files.state : (await readLbFiles(s.ctx, 'Nothing was changed.')).state;
      recorded.push(read.kind === 'ok' ? read.state.raw : undefined);
    }
    const { stopped } = await watchAndSettle(ctx, { before, from: otherSlot(watch.slot), to: watch.slot, requireHealthy: true, until: Date.parse(watch.until), recorded, announcements });
    ctx.onRouted?.(watch.slot);
    const how = stopped ? `stopped by ${stopped}` : ctx.signal?.aborted ? 'stopped (cancelled)' : 'held up';
    return { summary: `The watch of ${slotLabel(watch.slot)} ${how}; LIVE is ${slotSummary(before.slots[watch.slot])}.` };
  } finally {
    await releaseEach(lbs);
  }
}

/**
 * `bluegreen watch --stop` / Stop Watching: asks the process watching to stop (it holds the
 * lock) and waits for it to; with no one watching, removes the record itself.
 */
export async function stopWatch(given: OperationContext): Promise<{ summary: string }> {
  const ctx = steady(given);
  const { app } = ctx;
  const c = app.loadBalancer;
  const holder = parseLockHolder((await ctx.runner.run(lbHost(app), remote.lockHolder(lockFileOf(c.stateFile)), { lane: 'probe', timeoutMs: 15000 })).stdout);
  if (holder) {
    await localStep(ctx, `Ask ${holder.who} to stop watching`, async () => {
      const r = await ctx.runner.run(lbHost(app), `printf '%s\\n' ${shQuote(ctx.who)} > ${shQuote(watchStopFileOf(c.stateFile))}`, { lane: 'step', timeoutMs: 15000 });
      if (r.code !== 0) throw new WorkflowError('step-failed', 'Stop the watch', c.ssh, r.stderr.trim() || `exit code ${r.code}`, 'The watch goes on.');
    });
    // It looks every few seconds, then writes the state file: wait for the record to go.
    for (const until = Date.now() + STOP_POLL_MS * 4; Date.now() < until; await new Promise((r) => setTimeout(r, 1000))) {
      const files = await readLbFiles(ctx, 'The watch may go on.');
      if (files.state.kind !== 'ok' || !files.state.state.watch) return { summary: `${app.name}: the watch run by ${holder.who} stopped.` };
    }
    throw new WorkflowError('step-failed', 'Stop the watch', c.ssh, `${holder.who} holds the lock (${holder.operation}) and did not stop watching within ${(STOP_POLL_MS * 4) / 1000} s`, 'The request stays on the LB host; the watch stops at its next look.');
  }
  const lbs = await lockEach(ctx, 'stop the watch', 'Nothing was changed.');
  try {
    let watch: WatchRecord | undefined;
    for (const s of lbs) {
      const files = await readLbFiles(s.ctx, 'Nothing was changed.');
      const recorded = files.state.kind === 'ok' ? files.state.state.watch : undefined;
      if (!recorded) continue;
      watch ??= recorded;
      await endWatchRecord(s.ctx, files.state);
    }
    if (!watch) return { summary: `${app.name}: no watch is recorded; nothing to stop.` };
    return { summary: `${app.name}: the watch of ${slotLabel(watch.slot)} (${timeLeft(watch.until)} left, nobody running it) was removed.` };
  } finally {
    await releaseEach(lbs);
  }
}
