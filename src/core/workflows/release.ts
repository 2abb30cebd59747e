import { otherSlot, SlotName } from '../config/types';
import { shQuote } from '../shell';
import { errorMessage } from '../errors';
import { Redacted, redactIfAny } from '../redact';
import { overridden, preflight } from '../plan/preflight';
import { switchConfirmation } from '../plan/render';
import { Intent, OperationKind, Plan, UnsafeMigrationPolicy } from '../plan/types';
import { HistoryEntry } from '../state/stateFile';
import { isSwitch } from '../state/historyKinds';
import { readStagingEvidence } from './parts/stagingEvidence';
import { lbHost, slotHost } from '../config/hostRefs';
import { snapshotApp } from '../status/refresh';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { liveUnchanged, slotSummary } from '../status/describe';
import { enforce } from './parts/enforce';
import { readMigrations } from './parts/migrationGate';
import { oldProcessesAtSwitch, reportDrain } from './parts/drain';
import { reasonMissing } from '../plan/confirm';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';
import { frontendProbe, Verified } from './parts/verify';
import { recordSwitch } from './parts/switching';
import { applyEach, readUnderLocks } from './parts/lbChange';
import { approvalBinding, stillAsApproved } from './parts/approved';
import { switchTo } from './parts/switchTo';
import { LbSwitch, lockEach, releaseEach } from './parts/lbLocks';
import { watchAndSettle, watchRecord } from './watch';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { announcing, Announcements } from '../notify/announce';
import { sides } from '../notify/event';

export interface ReleaseOptions {
  kind?: 'release' | 'rollback';
  /** Skip the health gate (and the drift gate); the person types the slot name and a reason. */
  emergency?: boolean;
  /** A reason to offer the person (from an agent); what they confirm is recorded. */
  suggestedReason?: string;
  /**
   * Migrations that break a rollback: `ask` makes the person type the slot's name (the default),
   * `refuse` stops (the CLI without --allow-unsafe-migrations), `allow` goes on (recorded).
   */
  unsafeMigrations?: UnsafeMigrationPolicy;
  /** Route traffic back to the slot the state file records as LIVE (Reconcile's other direction). */
  routeBack?: boolean;
}

export interface ReleaseResult {
  from: SlotName;
  to: SlotName;
  /** Confirmation to new LIVE verified through the frontend. */
  switchMs: number;
  verified: boolean;
  reason?: string;
  stateWritten: boolean;
  /** The outcome in one sentence, ending with the state now; every front end shows this. */
  summary: string;
}

/** The release's outcome when the person chose the dialog's Fix First: the doctor runs instead. */
export const FIX_FIRST_CHOSEN = 'the load balancer is to be fixed first';

/** How long after the switch (and its watch) the old HAProxy process is followed before the release ends. */
const DRAIN_FOLLOW_MS = 2000;

/** Switches traffic to STANDBY; rollback is the same switch, back to the previous LIVE. */
export async function release(given: OperationContext, o: ReleaseOptions = {}): Promise<ReleaseResult> {
  const ctx = steady(given);
  return announcing(ctx, (announcements) => releaseUnderLocks(ctx, o, announcements));
}

async function releaseUnderLocks(ctx: OperationContext, o: ReleaseOptions, announcements: Announcements): Promise<ReleaseResult> {
  const kind = o.kind ?? 'release';
  const title = titleOf(kind, o.emergency);
  // Every load balancer's lock, in config order: a pair is switched whole, by one operation.
  const lbs = await lockEach(ctx, kind + (o.emergency ? ' (emergency)' : ''), 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, ctx.app, ctx.signal));
    const unchanged = () => liveUnchanged(before);
    const plan = await planSwitch(ctx, before, { kind, emergency: o.emergency, unsafeMigrations: o.unsafeMigrations, routeBack: kind === 'release' && o.routeBack ? true : undefined }, title);
    const binding = approvalBinding(plan, ctx.app);
    const answer = await ctx.confirm.confirm({ ...switchConfirmation(plan, { suggestedReason: o.suggestedReason }), binding });
    if (!answer.ok && answer.alternative) throw new WorkflowError('declined', title, undefined, FIX_FIRST_CHOSEN, unchanged());
    if (!answer.ok) throw new WorkflowError('declined', title, undefined, 'not confirmed', unchanged());
    if (reasonMissing({ askReason: o.emergency }, answer.reason)) throw new WorkflowError('refused', title, undefined, 'an emergency release needs a reason', unchanged());
    await stillAsApproved(ctx, binding, title, unchanged);
    const confirmedAt = Date.now();
    // Compare before switching: every config must still route to the LIVE we showed. The state
    // files read here, under the locks, are the ones the switch is recorded in.
    const change = switchTo(plan, ctx.app.loadBalancers.length > 1);
    await readUnderLocks(lbs, plan, change, title, unchanged);
    // Each LB switched and verified in turn; a failure puts every one back.
    const verified = await applyEach(lbs, plan, change, title, unchanged);
    return await afterSwitch(ctx, lbs, plan, { reason: redactIfAny(answer.reason), approvedVia: answer.via, overrode: overridden(plan) }, verified, confirmedAt, announcements);
  } finally {
    await releaseEach(lbs);
  }
}

/** The plan of a switch: the snapshot's gates, then what git tells (commits, migrations) judged too. */
async function planSwitch(ctx: OperationContext, before: AppSnapshot, intent: Intent, title: string): Promise<Plan> {
  const unchanged = liveUnchanged(before);
  enforce(preflight(before, ctx.app, intent), title, unchanged);
  const [fromSlot, toSlot] = [before.slots[before.live!], before.slots[otherSlot(before.live!)]];
  if (intent.kind === 'rollback') warnIfNotTheLastSwitch(ctx, before.lb.state.history, toSlot.name);
  // A rollback goes back to code older than the database's migrations: there is nothing left to gate.
  const evidence = {
    commits: await commitsBetween(ctx, toSlot.name, fromSlot.commit, toSlot.commit),
    migrations: intent.kind === 'release' ? await readMigrations(ctx, { repoSlot: toSlot.name, from: fromSlot, to: toSlot }) : undefined,
    // What the dialog says of the commit going LIVE: passed staging, when, by whom (or that it did not).
    staging: intent.kind === 'release' && toSlot.commit ? await readStagingEvidence(ctx.runner, ctx.app, toSlot.commit, ctx.signal) : undefined,
  };
  const plan = preflight(before, ctx.app, intent, evidence);
  enforce(plan, title, unchanged);
  // The switch runs in the LB's long-lived step shell: open it while the person reads the
  // dialog, so the time from confirmation to switch has no SSH session setup in it.
  ctx.runner.warm(lbHost(ctx.app), 'step');
  return plan;
}

/** What the person's yes adds to the record of the switch. */
type Approval = { reason?: Redacted; approvedVia?: string; overrode?: Redacted };

/**
 * HAProxy routes to the new LIVE: record it on every LB, watch it, report the old process's
 * drain. Every way out records the switch.
 */
async function afterSwitch(ctx: OperationContext, lbs: readonly LbSwitch[], plan: Plan, approval: Approval, verified: Verified & { ok: true }, confirmedAt: number, announcements: Announcements): Promise<ReleaseResult> {
  const { app } = ctx;
  const [from, to, fromSlot, toSlot, before] = [plan.live!, plan.target!, plan.liveSlot!, plan.targetSlot!, plan.snapshot];
  const { kind, emergency, routeBack } = plan.intent;
  const facts = { from, to, fromSlot, toSlot, kind: kind as 'release' | 'rollback', emergency, routedBack: routeBack, ...approval };
  let progress: 'verified' | 'recorded' = 'verified';
  try {
    const switchMs = Date.now() - confirmedAt;
    // What the old HAProxy process still serves right after the switch (the drain meter's start).
    const atSwitch = await oldProcessesAtSwitch(ctx);
    ctx.reporter.info(`${slotLabel(to)} is LIVE, ${verified.unproven ? 'answering' : 'verified'} through the frontend ${switchMs} ms after confirmation`);
    const watching = frontendProbe(ctx, before, to) && app.release.watchSeconds > 0;
    const watchUntil = Date.now() + app.release.watchSeconds * 1000;

    // The watch is recorded with the switch, on every LB: if this process ends before the watch does, anyone can resume it.
    const written = await recordEach(lbs, { ...facts, watch: watching ? watchRecord(ctx, to, watchUntil) : undefined });
    // After the record, so what is shown next (switch count, history) agrees with the routing.
    ctx.onRouted?.(to, watching ? watchUntil : undefined);
    progress = 'recorded';
    // Posted now, in the background: the watch that follows may take minutes, and a switch back is its own event.
    announcements.send({ event: kind === 'rollback' ? 'rollback' : emergency ? 'emergency-release' : 'release', from, to, versions: sides(fromSlot.version, toSlot.version), commits: sides(fromSlot.commit, toSlot.commit), who: ctx.who, approvedVia: approval.approvedVia, reason: approval.reason });
    const stateWritten = written.every((w) => w !== undefined);

    if (watching) {
      const { stopped } = await watchAndSettle(ctx, { before, from, to, requireHealthy: !emergency, until: watchUntil, recorded: written, announcements });
      if (stopped) ctx.reporter.info(`The watch of ${slotLabel(to)} was stopped by ${stopped}`);
      ctx.onRouted?.(to);
    }
    if (app.loadBalancer.masterSocket) await localStep(ctx, 'Old HAProxy process', () => reportDrain(ctx, confirmedAt, atSwitch, DRAIN_FOLLOW_MS));
    const how = verified.unproven ? `switched in ${switchMs} ms, but ${verified.unproven}` : `verified in ${switchMs} ms`;
    const health = verified.healthy ? '' : ` ${slotLabel(to)} serves the traffic but its health check fails.`;
    const summary = `LIVE is ${slotSummary(toSlot)} (was ${slotLabel(from)}), ${how};${health} ${slotSummary(fromSlot)} is STANDBY and stays warm for rollback.${stateWritten ? '' : ' The state file was NOT updated: reconcile it.'}`;
    ctx.reporter.info(summary);
    return { from, to, switchMs, verified: verified.ok, reason: approval.reason, stateWritten, summary };
  } catch (e) {
    if (e instanceof WorkflowError) throw e;
    const why = `unexpected error after the switch: ${errorMessage(e)}`;
    const recorded = progress === 'recorded' || (await recordEach(lbs, facts)).every((w) => w !== undefined);
    throw new WorkflowError('step-failed', titleOf(kind, emergency), app.loadBalancer.ssh, why, `LIVE is ${slotSummary(toSlot)}, verified through the frontend; ${recorded ? 'the switch is recorded in the state file' : 'the state file was NOT updated: reconcile it'}. It was not watched: check it now.`, [], { cause: e });
  }
}

function titleOf(kind: OperationKind, emergency?: boolean): string {
  return kind === 'rollback' ? 'Rollback' : emergency ? 'Emergency release' : 'Release';
}

/** The switch in each load balancer's state file; what was written to each (undefined where it could not be). */
async function recordEach(lbs: readonly LbSwitch[], facts: Parameters<typeof recordSwitch>[2]): Promise<(Record<string, unknown> | undefined)[]> {
  const written: (Record<string, unknown> | undefined)[] = [];
  for (const s of lbs) written.push(await recordSwitch(s.ctx, s.now!.state, facts));
  return written;
}

/** A rollback goes back to the previous LIVE: says so when the history tells otherwise. */
function warnIfNotTheLastSwitch(ctx: OperationContext, history: readonly HistoryEntry[], to: SlotName): void {
  // Canaries, reconciles and skipped stagings are in the history too: they switched nothing.
  const last = history.filter(isSwitch).at(-1);
  if (!last) ctx.reporter.warn('the state file records no previous switch; rolling back means switching to the current STANDBY');
  else if (String(last.from).toLowerCase() !== to) ctx.reporter.warn(`the last recorded switch went ${String(last.from).toUpperCase()} → ${String(last.to).toUpperCase()}; rolling back to ${slotLabel(to)}`);
}

async function commitsBetween(ctx: OperationContext, to: SlotName, fromCommit?: string, toCommit?: string): Promise<string[]> {
  if (!fromCommit || !toCommit || fromCommit === toCommit) return [];
  const s = ctx.app.slots[to].servers[0];
  const range = `${fromCommit}..${toCommit}`;
  try {
    const r = await ctx.runner.run(slotHost(ctx.app, to), `cd ${shQuote(s.dir)} && git log --oneline --no-decorate -n 15 ${shQuote(range)}`, { signal: ctx.signal, timeoutMs: 15000, lane: 'probe' });
    return r.code === 0 ? r.stdout.split('\n').filter(Boolean).map((subject) => fromHost(subject, HOST_TEXT_LIMITS.line)) : [];
  } catch {
    return [];
  }
}

