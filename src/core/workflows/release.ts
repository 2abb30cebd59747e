import { otherSlot, SlotName } from '../config/types';
import { shQuote } from '../shell';
import { errorMessage } from '../errors';
import { lbHost, mixedRoutingMessage, slotHost } from '../status/probe';
import { loadBalancersDisagree, snapshotApp } from '../status/refresh';
import { failedSmoke, smokeFailures } from '../status/smoke';
import { slotLabel } from '../status/snapshot';
import { liveUnchanged, slotSummary, versionText } from './describe';
import { migrationGate, NO_MIGRATION_GATE, UnsafeMigrationPolicy } from './migrationGate';
import { oldProcessesAtSwitch, reportDrain } from './drain';
import { reasonMissing } from './confirm';
import { localStep, OperationContext, steady, WorkflowError } from './operation';
import { frontendProbe } from './verify';
import { recordSwitch } from './switching';
import { LbSwitch, lockEach, readEach, releaseEach, switchEach } from './switchEach';
import { watchAndSettle, watchRecord } from './watch';

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


/** The dialog's other button when the switch would reset idle connections: the doctor runs instead. */
export const FIX_FIRST = 'Fix First';
export const FIX_FIRST_CHOSEN = 'the load balancer is to be fixed first';

/** How long after the switch (and its watch) the old HAProxy process is followed before the release ends. */
const DRAIN_FOLLOW_MS = 2000;

const STATE_DRIFT = new Set(['state-file-disagrees', 'state-file-corrupt']);


/** Whether a semver-ish version is newer; undefined when either cannot be compared. */
function isNewer(candidate?: string, current?: string): boolean | undefined {
  const parse = (v?: string) => v?.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map(Number);
  const [a, b] = [parse(candidate), parse(current)];
  if (!a || !b || a.some(Number.isNaN) || b.some(Number.isNaN)) return undefined;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/** Switches traffic to STANDBY; rollback is the same switch, back to the previous LIVE. */
export async function release(given: OperationContext, o: ReleaseOptions = {}): Promise<ReleaseResult> {
  const ctx = steady(given);
  const { app } = ctx;
  const kind = o.kind ?? 'release';
  const title = kind === 'rollback' ? 'Rollback' : o.emergency ? 'Emergency release' : 'Release';
  // Every load balancer's lock, in config order: a pair is switched whole, by one operation.
  const lbs = await lockEach(ctx, kind + (o.emergency ? ' (emergency)' : ''), 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, app, ctx.signal));
    const unchanged = () => liveUnchanged(before);
    if (!before.live) throw new WorkflowError('refused', title, app.loadBalancer.ssh, `cannot tell which slot is LIVE (${before.lb.error ?? 'unknown routing'})`, 'Nothing was changed.');
    const from = before.live;
    const to = otherSlot(from);
    const fromSlot = before.slots[from];
    const toSlot = before.slots[to];
    const history = before.lb.state.history;

    if (kind === 'rollback') {
      const last = history[history.length - 1];
      if (!last) ctx.reporter.warn('the state file records no previous switch; rolling back means switching to the current STANDBY');
      else if (String(last.from).toLowerCase() !== to) ctx.reporter.warn(`the last recorded switch went ${String(last.from).toUpperCase()} → ${String(last.to).toUpperCase()}; rolling back to ${slotLabel(to)}`);
    }
    // Not even an emergency: with traffic split, a switch moves only part of it.
    for (const lb of before.lbs) if (lb.strayRoutes?.length) throw new WorkflowError('refused', title, lb.host, mixedRoutingMessage(lb), unchanged());
    const unread = before.lbs.find((lb) => !lb.reachable || !lb.backend);
    if (unread) throw new WorkflowError('refused', title, unread.host, `cannot read the routing on ${unread.host} (${unread.error ?? 'unreachable'}): a release switches every load balancer of ${app.name} or none`, unchanged());
    const pairSplit = loadBalancersDisagree(before.lbs);
    if (pairSplit && !o.emergency) throw new WorkflowError('refused', title, undefined, `${pairSplit}. An emergency release switches every one to ${slotLabel(to)}`, unchanged());
    for (const lb of before.lbs) if (lb.notSwitchable) throw new WorkflowError('refused', title, lb.host, lb.notSwitchable, unchanged());
    // Each disagreement with its own remedy: a config not reloaded is not the state file's fault.
    if (!o.emergency && before.drift.some((d) => d.kind === 'config-not-loaded')) {
      throw new WorkflowError('refused', title, app.loadBalancer.ssh, `${app.loadBalancer.config} was changed after HAProxy last loaded it, so what HAProxy routes now may not be what the file says. Check the file, reload HAProxy (${app.loadBalancer.reload}), then release; or use an emergency release`, unchanged());
    }
    const stateDrift = before.drift.filter((d) => STATE_DRIFT.has(d.kind));
    if (stateDrift.length && !o.emergency) {
      throw new WorkflowError('refused', title, app.loadBalancer.ssh, `the state file and HAProxy disagree (${stateDrift.map((d) => d.message).join('; ')}). Reconcile the state file first, or use an emergency release`, unchanged());
    }
    if (toSlot.health !== 'up' && !o.emergency) {
      throw new WorkflowError('refused', title, toSlot.host, `STANDBY ${slotLabel(to)} is not healthy (${toSlot.healthDetail ?? toSlot.error ?? toSlot.health}); traffic stays on ${slotLabel(from)}`, unchanged());
    }

    // Half the backend on new code, half on old: what clients get would depend on the server.
    if (toSlot.serversDisagree && !o.emergency) {
      throw new WorkflowError('refused', title, toSlot.host, `STANDBY ${slotLabel(to)}'s servers do not run the same code (${toSlot.serversDisagree}); deploy to it again so they match. Traffic stays on ${slotLabel(from)}`, unchanged());
    }
    const smokeFailed = smokeFailures(toSlot.smoke);
    if (smokeFailed && !o.emergency) {
      throw new WorkflowError('refused', title, toSlot.host, `STANDBY ${slotLabel(to)} fails ${failedSmoke(toSlot.smoke)}; traffic stays on ${slotLabel(from)}`, unchanged());
    }
    const commits = await commitsBetween(ctx, to, fromSlot.commit, toSlot.commit);
    // A rollback goes back to code older than the database's migrations: there is nothing left to gate.
    const migrations = kind === 'release' ? await migrationGate(ctx, { title, repoSlot: to, from: fromSlot, to: toSlot, policy: o.unsafeMigrations, unchanged: unchanged() }) : NO_MIGRATION_GATE;
    const newer = isNewer(toSlot.version, fromSlot.version);
    const warnings: string[] = [];
    if (kind === 'release' && newer === false) warnings.push(`⚠ STANDBY ${slotLabel(to)} (${versionText(toSlot.version)}) is not newer than LIVE ${slotLabel(from)} (${versionText(fromSlot.version)}).`);
    const dropsRequests = before.lb.findings?.some((f) => f.id === 'idle-close' && f.fix);
    if (before.lb.findings?.some((f) => f.id === 'idle-close')) warnings.push(`⚠ This switch will reset the keep-alive connections idle at that moment (no option idle-close-on-response): a few requests may fail. Check Load Balancer (bluegreen doctor --fix) adds it.`);
    if (toSlot.health !== 'up') warnings.push(`⚠ STANDBY ${slotLabel(to)} is NOT healthy: ${toSlot.healthDetail ?? toSlot.error ?? toSlot.health}.`);
    if (toSlot.serversDisagree) warnings.push(`⚠ STANDBY ${slotLabel(to)}'s servers do not run the same code: ${toSlot.serversDisagree}.`);
    if (smokeFailed) warnings.push(`⚠ ${smokeFailed}.`);
    else if (toSlot.smoke?.length) warnings.push(`${slotLabel(to)} passes its ${toSlot.smoke.length} smoke test(s): ${toSlot.smoke.map((r) => r.name).join(', ')}.`);
    warnings.push(...migrations.lines);
    const canaryNow = before.lb.canary;
    if (canaryNow) warnings.push(canaryNow.slot === to ? `Promotes the canary: ${canaryNow.percent}% of clients go to ${slotLabel(to)} now; its rule is removed in the same change.` : `Ends the canary (${canaryNow.percent}% to ${canaryNow.backend}): its rule is removed in the same change.`);
    for (const d of before.drift) warnings.push(`⚠ ${d.message}`);
    // The switch runs in the LB's long-lived step shell: open it while the person reads the
    // dialog, so the time from confirmation to switch has no SSH session setup in it.
    ctx.runner.warm(lbHost(app), 'step');
    const verb = kind === 'rollback' ? 'Roll back traffic' : 'Switch traffic';
    const answer = await ctx.confirm.confirm({
      title: `${verb} from ${slotLabel(from)} (${versionText(fromSlot.version)}) to ${slotLabel(to)} (${versionText(toSlot.version)})?`,
      detail: [
        `LIVE now: ${slotLabel(from)} ${versionText(fromSlot.version)} at ${fromSlot.commit?.slice(0, 7) ?? '?'} — ${fromSlot.health}`,
        `New LIVE: ${slotLabel(to)} ${versionText(toSlot.version)} at ${toSlot.commit?.slice(0, 7) ?? '?'} — ${toSlot.health}${toSlot.responseMs !== undefined ? ` (${toSlot.responseMs} ms)` : ''}`,
        commits.length ? `Commits:\n${commits.map((c) => `  ${c}`).join('\n')}` : fromSlot.commit === toSlot.commit ? 'Both slots run the same commit.' : '',
        ...warnings,
        `${slotLabel(from)} stays warm as STANDBY for rollback.`,
      ]
        .filter(Boolean)
        .join('\n'),
      action: o.emergency ? 'Emergency Switch' : kind === 'rollback' ? 'Roll Back' : 'Switch Traffic',
      typeToConfirm: o.emergency || migrations.typeToConfirm ? slotLabel(to) : undefined,
      typeReason: [o.emergency ? 'Emergency release: health checks are skipped' : '', migrations.typeToConfirm ? `Migrations break a rollback to ${slotLabel(from)}` : ''].filter(Boolean).join('. '),
      askReason: o.emergency,
      suggestedReason: o.suggestedReason,
      alternative: dropsRequests ? FIX_FIRST : undefined,
    });
    if (!answer.ok && answer.alternative) throw new WorkflowError('declined', title, undefined, FIX_FIRST_CHOSEN, unchanged());
    if (!answer.ok) throw new WorkflowError('declined', title, undefined, 'not confirmed', unchanged());
    if (reasonMissing({ askReason: o.emergency }, answer.reason)) throw new WorkflowError('refused', title, undefined, 'an emergency release needs a reason', unchanged());
    const confirmedAt = Date.now();
    const overrode = [smokeFailed, migrations.overrode].filter(Boolean).join('; ') || undefined;

    // Compare before switching: every config must still route to the LIVE we showed. The state
    // files read here, under the locks, are the ones the switch is recorded in.
    await readEach(lbs, before, from, to, title, !!o.emergency, unchanged);
    // An emergency skips the health gate: the switch is verified by who serves, not by a 200.
    const requireHealthy = !o.emergency;
    // Each LB switched and verified in turn; a failure puts every one back (switchEach).
    const verified = await switchEach(lbs, before, from, to, title, requireHealthy, unchanged);
    // From here on HAProxy routes to the new LIVE: every way out records the switch.
    let progress: 'verified' | 'recorded' = 'verified';
    try {
      const switchMs = Date.now() - confirmedAt;
      // What the old HAProxy process still serves right after the switch (the drain meter's start).
      const atSwitch = await oldProcessesAtSwitch(ctx);
      ctx.reporter.info(`${slotLabel(to)} is LIVE, ${verified.unproven ? 'answering' : 'verified'} through the frontend ${switchMs} ms after confirmation`);
      const watching = frontendProbe(ctx, before, to) && app.release.watchSeconds > 0;
      const watchUntil = Date.now() + app.release.watchSeconds * 1000;

      // The watch is recorded with the switch, on every LB: if this process ends before the watch does, anyone can resume it.
      const facts = { from, to, fromSlot, toSlot, kind, emergency: o.emergency, reason: answer.reason, approvedVia: answer.via, overrode, watch: watching ? watchRecord(ctx, to, watchUntil) : undefined };
      const written = await recordEach(lbs, facts);
      // After the record, so what is shown next (switch count, history) agrees with the routing.
      ctx.onRouted?.(to, watching ? watchUntil : undefined);
      progress = 'recorded';
      const stateWritten = written.every((w) => w !== undefined);

      if (watching) {
        const { stopped } = await watchAndSettle(ctx, { before, from, to, requireHealthy, until: watchUntil, recorded: written });
        if (stopped) ctx.reporter.info(`The watch of ${slotLabel(to)} was stopped by ${stopped}`);
        ctx.onRouted?.(to);
      }
      if (app.loadBalancer.masterSocket) await localStep(ctx, 'Old HAProxy process', () => reportDrain(ctx, confirmedAt, atSwitch, DRAIN_FOLLOW_MS));
      const how = verified.unproven ? `switched in ${switchMs} ms, but ${verified.unproven}` : `verified in ${switchMs} ms`;
      const health = verified.healthy ? '' : ` ${slotLabel(to)} serves the traffic but its health check fails.`;
      const summary = `LIVE is ${slotSummary(toSlot)} (was ${slotLabel(from)}), ${how};${health} ${slotSummary(fromSlot)} is STANDBY and stays warm for rollback.${stateWritten ? '' : ' The state file was NOT updated: reconcile it.'}`;
      ctx.reporter.info(summary);
      return { from, to, switchMs, verified: verified.ok, reason: answer.reason, stateWritten, summary };
    } catch (e) {
      if (e instanceof WorkflowError) throw e;
      const why = `unexpected error after the switch: ${errorMessage(e)}`;
      const recorded = progress === 'recorded' || (await recordEach(lbs, { from, to, fromSlot, toSlot, kind, emergency: o.emergency, reason: answer.reason, approvedVia: answer.via, overrode })).every((w) => w !== undefined);
      throw new WorkflowError('step-failed', title, app.loadBalancer.ssh, why, `LIVE is ${slotSummary(toSlot)}, verified through the frontend; ${recorded ? 'the switch is recorded in the state file' : 'the state file was NOT updated: reconcile it'}. It was not watched: check it now.`, [], { cause: e });
    }
  } finally {
    await releaseEach(lbs);
  }
}

/** The switch in each load balancer's state file; what was written to each (undefined where it could not be). */
async function recordEach(lbs: readonly LbSwitch[], facts: Parameters<typeof recordSwitch>[2]): Promise<(Record<string, unknown> | undefined)[]> {
  const written: (Record<string, unknown> | undefined)[] = [];
  for (const s of lbs) written.push(await recordSwitch(s.ctx, s.now!.state, facts));
  return written;
}

async function commitsBetween(ctx: OperationContext, to: SlotName, fromCommit?: string, toCommit?: string): Promise<string[]> {
  if (!fromCommit || !toCommit || fromCommit === toCommit) return [];
  const s = ctx.app.slots[to].servers[0];
  const range = `${fromCommit}..${toCommit}`;
  try {
    const r = await ctx.runner.run(slotHost(ctx.app, to), `cd ${shQuote(s.dir)} && git log --oneline --no-decorate -n 15 ${shQuote(range)}`, { signal: ctx.signal, timeoutMs: 15000, lane: 'probe' });
    return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  } catch {
    return [];
  }
}

