import { lbHost } from '../config/hostRefs';
import { ServerConfig, SlotName } from '../config/types';
import { emergencyReason, reasonMissing } from '../plan/confirm';
import { Redacted, redactIfAny } from '../redact';
import { stateFromRead, stateReadScript, stateWithRestart } from '../state/stateFile';
import { liveUnchanged, slotSummary } from '../status/describe';
import { snapshotApp } from '../status/refresh';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { healthStepTitle, inCheckout, waitHealthy } from './parts/deploySteps';
import { writeStateFile } from './parts/lbFiles';
import { acquireLock } from './parts/lock';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';
import { refuseUnaskedSwitch } from './parts/routingAfter';
import { DrainTarget, drainTargets, serversNotUp, setServerState, waitForLine } from './parts/serverDrain';
import { standbySteps } from './parts/standbySteps';

export type RestartRole = 'standby' | 'live';

export interface RestartResult {
  slot: SlotName;
  role: 'LIVE' | 'STANDBY';
  servers: string[];
  summary: string;
}

/** How long a drained server's requests may take to finish before its restart goes ahead without them. */
const DRAIN_MS = 30_000;
/** How long HAProxy may take to see a restarted server up again (its checks' interval and rise). */
const BACK_UP_MS = 60_000;

/**
 * Restarts the app's process on a slot's servers (deploy.restart, `pm2 restart {pm2}` by
 * default) under the app's lock, waits until each is healthy, and records it in the history.
 * STANDBY: every server at once; no user traffic reaches it. LIVE: only after the person typed
 * the slot's name and gave a reason, one server at a time, each drained in HAProxy first (on
 * every load balancer) and back healthy and up before the next; a slot of one server cannot be
 * drained, and the dialog says its in-flight requests are dropped.
 */
export async function restart(given: OperationContext, role: RestartRole): Promise<RestartResult> {
  const ctx = steady(given);
  const { app } = ctx;
  const operation = role === 'live' ? 'Restart LIVE' : 'Restart STANDBY';
  const lock = await acquireLock(ctx, `restart ${role}`, 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles', () => snapshotApp(ctx.runner, app, ctx.signal));
    const slot = role === 'live' ? before.live : before.standby;
    if (!slot) throw new WorkflowError('refused', operation, undefined, `which slot is ${role.toUpperCase()} cannot be told now (${before.lb.error ?? 'no routing read'})`, 'Nothing was changed.');
    const disagree = before.drift.find((d) => d.kind === 'load-balancers-disagree' || d.kind === 'traffic-reaches-standby' || d.kind === 'mixed-routing');
    if (role === 'standby' && (before.lb.canary || disagree)) throw new WorkflowError('refused', operation, undefined, `users reach STANDBY now (${before.lb.canary ? 'a canary sends some of them there; end it first' : disagree!.message}), so restarting it is not a STANDBY restart`, liveUnchanged(before));
    const servers = app.slots[slot].servers;
    const label = `${slotLabel(slot)} (${role.toUpperCase()})`;
    const drains = role === 'live' && servers.length > 1 ? await drainPlan(ctx, app.slots[slot].backend, servers, operation, liveUnchanged(before)) : undefined;
    const answer = await ctx.confirm.confirm(restartConfirmation(ctx, before, slot, role, servers));
    if (!answer.ok) throw new WorkflowError('declined', operation, undefined, 'not confirmed', 'Nothing was changed.');
    const reason = role === 'live' ? emergencyReason(answer.reason) : undefined;
    if (role === 'live' && reasonMissing({ askReason: true }, reason)) throw new WorkflowError('refused', operation, undefined, 'a LIVE restart needs a reason (it is recorded in the history)', 'Nothing was changed.');

    const stateNow = () => (role === 'live' ? `Traffic stays on ${slotSummary(before.slots[slot])}; a server of it may be restarting or drained.` : `${liveUnchanged(before)} ${label} may be restarting.`);
    const steps = standbySteps(ctx, { lock, operation, servers, lockHost: { ssh: app.loadBalancer.ssh, is: 'LB host' }, target: label, stateNow });
    const command = (s: ServerConfig) => inCheckout(s, app.deploy.restart, { slot });
    const restartOne = async (s: ServerConfig) => {
      await steps.on(s, `Restart ${s.pm2}`, command(s));
      await localStep(ctx, healthStepTitle(`${label} ${s.name}`), () => waitHealthy(ctx, s, label, undefined, stateNow));
    };
    try {
      if (role === 'standby') await steps.everywhere(restartOne);
      else if (!drains) await restartOne(servers[0]);
      else for (const s of servers) await restartDrained(ctx, s, drains.get(s.name)!, () => restartOne(s), stateNow);
    } catch (e) {
      await refuseUnaskedSwitch(ctx, before, operation, e);
      throw e;
    }
    await refuseUnaskedSwitch(ctx, before, operation);
    const names = servers.map((s) => s.name);
    await recordRestart(ctx, { slot, role: role === 'live' ? 'LIVE' : 'STANDBY', servers: names, reason: redactIfAny(reason), who: ctx.who, at: new Date().toISOString() });
    const how = role === 'live' && servers.length > 1 ? `, one server at a time (${names.join(', ')}), each drained first and healthy again before the next` : ` and healthy again on ${names.join(', ')}`;
    const summary = role === 'live' ? `${label} restarted${how}. LIVE is still ${slotSummary(before.slots[slot])}.` : `${label} restarted${how}. ${liveUnchanged(before)}`;
    ctx.reporter.info(summary);
    return { slot, role: role === 'live' ? 'LIVE' : 'STANDBY', servers: names, summary };
  } finally {
    await lock.release();
  }
}

/** Each LIVE server's line on every load balancer, found before anything is asked or restarted; a refusal when one cannot be drained. */
async function drainPlan(ctx: OperationContext, backend: string, servers: readonly ServerConfig[], operation: string, nothing: string): Promise<Map<string, DrainTarget[]>> {
  const plan = new Map<string, DrainTarget[]>();
  for (const s of servers) {
    const targets = await drainTargets(ctx, backend, s);
    if (typeof targets === 'string') throw new WorkflowError('refused', operation, undefined, `${targets}. A LIVE slot of several servers is restarted one server at a time, each drained in HAProxy first, so no request is dropped`, nothing);
    plan.set(s.name, targets);
  }
  // Each server goes out while the others serve: not while one is already out (found by a review).
  const out = await serversNotUp(ctx, backend);
  if (out.length) throw new WorkflowError('refused', operation, undefined, `not every server of ${backend} is up in HAProxy (${out.join(', ')}); a LIVE slot of several servers is restarted one server at a time only while the others serve`, nothing);
  return plan;
}

/** Drain on every LB, wait for its requests to finish, restart, healthy, ready, up in HAProxy's checks. */
async function restartDrained(ctx: OperationContext, s: ServerConfig, targets: DrainTarget[], restartOne: () => Promise<void>, stateNow: () => string): Promise<void> {
  await localStep(ctx, `Drain ${s.name} in HAProxy`, async () => {
    // Checked again before each server: another may have gone out since (a person, a failing check).
    const out = await serversNotUp(ctx, targets[0].backend);
    if (out.length) throw new WorkflowError('step-failed', `Drain ${s.name} in HAProxy`, undefined, `${out.join(', ')}: not up, so ${s.name} was not taken out`, stateNow());
    for (const t of targets) await setServerState(ctx, t, 'drain', stateNow);
    for (const t of targets) {
      const { met, line } = await waitForLine(ctx, t, (l) => l.sessions === 0, DRAIN_MS);
      ctx.reporter.line(t.lb.loadBalancer.ssh, met ? `${t.backend}/${t.server} drained: no sessions left` : `${t.backend}/${t.server} still has ${line?.sessions ?? '?'} session(s) after ${DRAIN_MS / 1000} s; restarting anyway`, met ? 'stdout' : 'stderr');
    }
  });
  try {
    await restartOne();
  } catch (e) {
    // A server that did not come back stays drained: no user is sent to it.
    ctx.reporter.warn(`${s.name} stays drained in HAProxy (${targets.map((t) => `${t.lb.loadBalancer.ssh}: ${t.backend}/${t.server}`).join(', ')}); set it to ready once it is healthy`);
    throw e;
  }
  await localStep(ctx, `Put ${s.name} back in HAProxy`, async () => {
    for (const t of targets) await setServerState(ctx, t, 'ready', stateNow);
    for (const t of targets) {
      // "UP 1/2" is up with a failed check pending (the restart's): only a plain UP lets the next server go.
      const { met, line } = await waitForLine(ctx, t, (l) => l.status === 'UP', BACK_UP_MS);
      if (!met) throw new WorkflowError('step-failed', `Put ${s.name} back in HAProxy`, t.lb.loadBalancer.ssh, `HAProxy does not see ${t.backend}/${t.server} up (${line?.status ?? 'no line'}${line?.check ? `, ${line.check}` : ''}) ${BACK_UP_MS / 1000} s after it was healthy; the next server was not touched`, stateNow());
    }
  });
}

function restartConfirmation(ctx: OperationContext, before: AppSnapshot, slot: SlotName, role: RestartRole, servers: readonly ServerConfig[]) {
  const { app } = ctx;
  const label = `${slotLabel(slot)} (${role.toUpperCase()})`;
  const names = servers.map((s) => s.name).join(', ');
  const what = `\`${app.deploy.restart}\` on ${names}, then a wait until ${servers.length > 1 ? 'each is' : 'it is'} healthy.`;
  if (role === 'standby') return { title: `Restart ${label}?`, detail: `${what}\nNo user traffic reaches STANDBY. ${liveUnchanged(before)}`, action: 'Restart STANDBY' };
  const how =
    servers.length > 1
      ? `One server at a time: each is drained in HAProxy (no new requests; its current ones finish), restarted, healthy again and back in HAProxy before the next. Traffic stays on ${slotLabel(slot)}.`
      : `${slotLabel(slot)} has one server: requests in flight while it restarts are dropped, and new ones fail until it is up again.`;
  return { title: `Restart LIVE ${slotLabel(slot)}, which serves your users?`, detail: `${what}\n${how}\nIt is recorded in the history with your reason.`, action: 'Restart LIVE', typeToConfirm: slotLabel(slot), typeReason: 'a restart of the slot that serves your users', askReason: true, reasonTitle: 'Why restart LIVE? (recorded in the history)' };
}

/** The restart in the history of the LB whose lock was held; a state file that cannot be read is said, not replaced. */
async function recordRestart(ctx: OperationContext, rec: { slot: SlotName; role: 'LIVE' | 'STANDBY'; servers: string[]; reason?: Redacted; who: Redacted; at: string }): Promise<void> {
  const lb = ctx.app.loadBalancer;
  const title = 'Record the restart in the history';
  const r = await ctx.runner.run(lbHost(ctx.app), stateReadScript(lb.stateFile), { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
  const read = stateFromRead(r.code, r.stdout);
  if (read.kind !== 'ok') {
    ctx.reporter.warn(`the restart was not recorded: the state file ${lb.stateFile} ${read.kind === 'missing' ? 'does not exist' : 'cannot be read'} (Reconcile makes it again)`);
    return;
  }
  const next = stateWithRestart(read.state.raw, rec, lb.historyKept);
  await writeStateFile(ctx, title, read, next.state, () => 'The restart happened; it may not be recorded.', undefined, next.moved);
}
