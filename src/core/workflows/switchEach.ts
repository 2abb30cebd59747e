import { SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { withoutCanary } from '../haproxy/canary';
import { backendExists, findRouting, withRouting } from '../haproxy/config';
import { strayRoutes } from '../haproxy/strayRoutes';
import { mixedRoutingMessage } from '../status/drift';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { readLbFiles } from './lbFiles';
import { LbSwitch } from './lbLocks';
import { throwIfCancelled, WorkflowError } from './operation';
import { replaceConfig } from './replaceConfig';
import { PutBack } from './putBack';
import { Verified, verifyLive } from './verify';

/**
 * Reads every load balancer's config and state under its lock and checks it still routes to
 * the LIVE the person confirmed, before any is changed: a pair is switched whole or not at all.
 */
export async function readEach(lbs: LbSwitch[], before: AppSnapshot, from: SlotName, to: SlotName, title: string, emergency: boolean, unchanged: () => string): Promise<void> {
  for (const s of lbs) {
    const { app } = s.ctx;
    const lb = app.loadBalancer;
    s.now = await readLbFiles(s.ctx, unchanged());
    const routing = findRouting(s.now.config, lb.frontend, lb.acl);
    const stray = strayRoutes(s.now.config, lb.frontend, lb.acl, [app.slots.blue.backend, app.slots.green.backend], app.name);
    if (stray.length) throw new WorkflowError('refused', title, lb.ssh, mixedRoutingMessage({ ...before.lb, host: lb.ssh, strayRoutes: stray, routingLine: routing.line + 1 }), 'Nothing was switched.');
    s.already = lbs.length > 1 && emergency && routing.backend === app.slots[to].backend;
    if (routing.backend !== app.slots[from].backend && !s.already) {
      throw new WorkflowError('refused', title, lb.ssh, `LIVE changed since you confirmed (HAProxy now routes to ${routing.backend}); nothing was switched`, 'Check the status and try again.');
    }
    if (!s.lock.held) throw new WorkflowError('connection-lost', title, lb.ssh, 'the lock on the LB host was lost', unchanged());
    if (!backendExists(s.now.config, app.slots[to].backend)) {
      throw new WorkflowError('refused', title, lb.ssh, `${lb.config} has no backend "${app.slots[to].backend}" (${slotLabel(to)}'s backend in bluegreen.yaml); nothing was switched`, unchanged());
    }
  }
  throwIfCancelled(lbs[0].ctx, unchanged());
}

/**
 * Switches the load balancers one after another, each verified through its own frontend
 * before the next. If one fails (validation, reload, verification, Cancel), that one is
 * restored by its own step and every one switched before it is put back, so they never stay
 * split. Returns the first one's verification.
 */
export async function switchEach(lbs: readonly LbSwitch[], before: AppSnapshot, from: SlotName, to: SlotName, title: string, requireHealthy: boolean, unchanged: () => string): Promise<Verified & { ok: true }> {
  const several = lbs.length > 1;
  const switched = new PutBack(several, before, from, (host) => `HAProxy may still route to ${slotLabel(to)}: check the config on ${host} now.`);
  let first: (Verified & { ok: true }) | undefined;
  for (const s of lbs) {
    const { app } = s.ctx;
    const lb = app.loadBalancer;
    if (s.already) {
      s.ctx.reporter.info(`${lb.ssh} already routes to ${slotLabel(to)}`);
      continue;
    }
    const next = withRouting(withoutCanary(s.now!.config, lb.frontend, lb.acl, app.name), lb.frontend, lb.acl, app.slots[to].backend);
    try {
      await replaceConfig(s.ctx, `Switch ${lb.frontend}${lb.acl ? ` (${lb.acl})` : ''}${several ? ` on ${lb.ssh}` : ''} and reload HAProxy`, s.now!.configSha256, next, unchanged, `LIVE is ${slotLabel(from)}; check HAProxy on ${lb.ssh}.`);
    } catch (e) {
      await switched.rethrow(e, 'switched');
    }
    // From here on this LB may route to the new LIVE: every way out restores it.
    switched.add(s);
    let verified: Verified;
    try {
      // Not cut short by Cancel: nothing is put back before HAProxy is seen serving the switch,
      // so an undo never races the reload it undoes.
      verified = await verifyLive({ ...s.ctx, signal: undefined }, before, to, requireHealthy);
    } catch (e) {
      throw new WorkflowError('step-failed', title, lb.ssh, `unexpected error after the switch: ${errorMessage(e)}`, `The previous config was restored and reloaded: ${await switched.undo()}`, [], { cause: e });
    }
    if (!verified.ok) throw new WorkflowError('step-failed', 'Verify the new LIVE through the frontend', lb.ssh, verified.why, `The previous config was restored and reloaded: ${await switched.undo()}`);
    first ??= verified;
    if (s.ctx.signal?.aborted) throw new WorkflowError('aborted', title, lb.ssh, 'cancelled during the switch', `The switch was made, then undone: the previous config was restored and reloaded: ${await switched.undo()}`);
  }
  return first ?? { ok: true, healthy: true };
}
