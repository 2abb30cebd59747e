import { LoadBalancerConfig, otherSlot, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { canaryKeyText, findCanary, parseCanaryKey, withCanary, withoutCanary } from '../haproxy/canary';
import { findRouting } from '../haproxy/config';
import { strayRoutes } from '../haproxy/strayRoutes';
import { overridden, preflight } from '../plan/preflight';
import { canaryConfirmation } from '../plan/render';
import { Intent, UnsafeMigrationPolicy } from '../plan/types';
import { stateWithCanary, rawFields } from '../state/stateFile';
import { parseHealthBody } from '../status/parse';
import { lbHost } from '../config/hostRefs';
import { snapshotApp } from '../status/refresh';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { liveUnchanged, slotSummary } from '../status/describe';
import { enforce } from './enforce';
import { readLbFiles, writeStateFile } from './lbFiles';
import { readMigrations } from './migrationGate';
import { localStep, OperationContext, steady, WorkflowError } from './operation';
import { PutBack } from './putBack';
import { replaceConfig } from './replaceConfig';
import { LbSwitch, lockEach, releaseEach } from './lbLocks';
import { currentWorker, untilReloaded } from './reloaded';
import { frontendHealth } from './verify';
import { servedByBody } from './whoAnswered';

export interface CanaryOptions {
  /** 1–99: the share of the app's clients sent to STANDBY. Ignored with `end`. */
  percent?: number;
  /** Remove the canary rule: every client back on LIVE. */
  end?: boolean;
  unsafeMigrations?: UnsafeMigrationPolicy;
}

/** The share a canary may send to STANDBY: 1–99 (0 is no canary, 100 a release). */
export function validateCanaryPercent(percent: unknown): number {
  if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 1 || percent > 99) {
    throw new WorkflowError('refused', 'Canary', undefined, `a canary sends 1 to 99 percent of the clients to STANDBY; ${JSON.stringify(percent)} is not that (to move everyone, release; to stop, end the canary)`, 'Nothing was changed.');
  }
  return percent;
}

/**
 * Sends a share of the app's clients to STANDBY (sticky per client) by one HAProxy rule for
 * this app only, or ends it: validated, atomically replaced, reloaded and checked through the
 * frontend like a switch, every other byte of the config unchanged, and recorded.
 */
export async function canary(given: OperationContext, o: CanaryOptions): Promise<{ summary: string }> {
  const ctx = steady(given);
  const { app } = ctx;
  const lb = app.loadBalancer;
  const title = o.end ? 'End the canary' : 'Canary';
  const percent = o.end ? 0 : validateCanaryPercent(o.percent);
  const several = app.loadBalancers.length > 1;
  // A pair gets the rule on each, under every LB's lock, changed together or not at all.
  const lbs = await lockEach(ctx, o.end ? 'end the canary' : `canary ${percent}%`, 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, app, ctx.signal));
    const unchanged = liveUnchanged(before);
    const intent: Intent = { kind: o.end ? 'end-canary' : 'canary', percent, unsafeMigrations: o.unsafeMigrations };
    enforce(preflight(before, app, intent), title, unchanged);
    const live = before.live!;
    const standby = otherSlot(live);
    const to = before.slots[standby];
    const plan = preflight(before, app, intent, o.end ? undefined : { migrations: await readMigrations(ctx, { repoSlot: standby, from: before.slots[live], to }) });
    enforce(plan, title, unchanged);
    const overrode = overridden(plan);
    const key = parseCanaryKey(lb.canaryBy);
    const answer = await ctx.confirm.confirm(canaryConfirmation(plan, app));
    if (!answer.ok) throw new WorkflowError('declined', title, undefined, 'not confirmed', unchanged);

    // Every LB read and checked under its lock before any is changed.
    for (const s of lbs) {
      const c = s.ctx.app.loadBalancer;
      s.now = await readLbFiles(s.ctx, unchanged);
      if (findRouting(s.now.config, c.frontend, c.acl).backend !== app.slots[live].backend) throw new WorkflowError('refused', title, c.ssh, `LIVE changed since you confirmed`, 'Check the status and try again.');
      if (strayRoutes(s.now.config, c.frontend, c.acl, [app.slots.blue.backend, app.slots.green.backend], app.name).length) throw new WorkflowError('refused', title, c.ssh, 'the frontend changed since you confirmed: it now splits traffic', 'Nothing was changed.');
      if (!s.lock.held) throw new WorkflowError('connection-lost', title, c.ssh, 'the lock on the LB host was lost', unchanged);
      s.already = o.end && !findCanary(s.now.config, c.frontend, c.acl, app.name);
    }
    await changeEach(lbs, before, live, o.end ? [live] : [live, standby], (c, config) => (o.end ? withoutCanary(config, c.frontend, c.acl, app.name) : withCanary(config, c.frontend, c.acl, app.name, app.slots[standby].backend, key, percent)), (c) => (o.end ? `Remove the canary rule from ${c.frontend}` : `Add the canary rule (${percent}% to ${slotLabel(standby)}) to ${c.frontend}`) + `${several ? ` on ${c.ssh}` : ''} and reload HAProxy`, unchanged);

    const at = new Date().toISOString();
    let recorded = true;
    for (const s of lbs) {
      const state = stateWithCanary(rawFields(s.now!.state), o.end ? undefined : { slot: standby, percent, key: canaryKeyText(key), since: at, by: ctx.who }, live, ctx.who, at);
      if (overrode) (state.history as Record<string, unknown>[]).at(-1)!.overrode = overrode;
      await writeStateFile(s.ctx, `Record the canary in the state file${several ? ` on ${s.ctx.app.loadBalancer.ssh}` : ''}`, s.now!.state, state, () => '').catch((e: unknown) => {
        recorded = false;
        ctx.reporter.warn(errorMessage(e));
      });
    }
    const summary = o.end
      ? `The canary ended: every client of ${app.name} goes to LIVE ${slotSummary(before.slots[live])} again.`
      : `${percent}% of ${app.name}'s clients go to ${slotSummary(to)}, the rest to LIVE ${slotSummary(before.slots[live])}; release to promote, or end the canary.`;
    ctx.reporter.info(summary);
    return { summary: `${summary}${recorded ? '' : ' The state file was NOT updated: reconcile it.'}` };
  } finally {
    await releaseEach(lbs);
  }
}

/**
 * Changes the canary rule on each load balancer in turn (`already` ones left as they are), each
 * reloaded and checked through its own frontend before the next. If one fails, it is restored
 * (by its switch script, or here when its check fails) and so is every one changed before it:
 * a pair never stays with the rule on one side only.
 */
async function changeEach(lbs: readonly LbSwitch[], before: AppSnapshot, live: SlotName, answering: SlotName[], next: (c: LoadBalancerConfig, config: string) => string, stepTitle: (c: LoadBalancerConfig) => string, unchanged: string): Promise<void> {
  const several = lbs.length > 1;
  const changed = new PutBack(several, before, live, (host) => `HAProxy may still have the new rule: check the config on ${host} now.`);
  for (const s of lbs) {
    const c = s.ctx.app.loadBalancer;
    if (s.already) {
      s.ctx.reporter.info(`${c.ssh} has no canary rule of ${s.ctx.app.name}`);
      continue;
    }
    const worker = await currentWorker(s.ctx);
    const replacing = Date.now();
    try {
      await replaceConfig(s.ctx, stepTitle(c), s.now!.configSha256, next(c, s.now!.config), () => unchanged, `${unchanged} No canary change was made${several ? ` on ${c.ssh}` : ''}.`);
    } catch (e) {
      await changed.rethrow(e, 'changed');
    }
    changed.add(s);
    await untilReloaded(s.ctx, worker, replacing);
    const answered = await answersThroughFrontend(s.ctx, before, answering);
    if (!answered.ok) throw new WorkflowError('step-failed', 'Check the app through the frontend', c.ssh, answered.why, `The previous config was restored and reloaded: ${await changed.undo()}`);
  }
}

/** The app answers 200 through the frontend from one of `slots` (which one depends on the bucket of the LB host's own address). */
async function answersThroughFrontend(ctx: OperationContext, before: AppSnapshot, slots: SlotName[]): Promise<{ ok: true } | { ok: false; why: string }> {
  const { app } = ctx;
  const health = frontendHealth(app);
  if (!health) {
    ctx.reporter.warn('no app url or loadBalancer.frontendUrl is configured, so the change cannot be checked through the frontend');
    return { ok: true };
  }
  const { url, hostHeader } = health;
  return localStep(ctx, 'Check the app through the frontend', async () => {
    let why = '';
    for (const until = Date.now() + 5000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      try {
        const r = await ctx.runner.httpGet(lbHost(app), url, { timeoutMs: app.health.timeoutMs, hostHeader });
        const live = before.slots[before.live!];
        const served = servedByBody(parseHealthBody(r.body), before.slots[otherSlot(before.live!)], live);
        const slot = served.by === 'new' ? otherSlot(before.live!) : served.by === 'old' ? before.live! : undefined;
        if (r.status === 200 && (!slot || slots.includes(slot))) {
          ctx.reporter.line(app.loadBalancer.ssh, `${url}: HTTP 200${slot ? ` from ${slotLabel(slot)}` : ''} in ${r.ms} ms`, 'stdout');
          return { ok: true as const };
        }
        why = `HTTP ${r.status}${slot ? ` from ${slotLabel(slot)}` : ''}`;
      } catch (e) {
        why = errorMessage(e);
      }
    }
    return { ok: false as const, why: `${url} did not answer 200 after the reload (${why})` };
  });
}
