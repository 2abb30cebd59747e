import { withoutCanary } from '../../haproxy/canary';
import { backendExists, findRouting, withRouting } from '../../haproxy/config';
import { SlotName } from '../../config/types';
import { Plan } from '../../plan/types';
import { AppSnapshot, slotLabel } from '../../status/snapshot';
import { LbChange } from './lbChange';
import { verifyLive } from './verify';

/**
 * A switch of all traffic to the plan's target as the pipeline's change: the app's routing line
 * rewritten (its canary rule, if any, removed in the same edit), verified by who answers through
 * each LB's frontend. An emergency skips the health gate, so its switch is verified by who
 * serves, not by a 200, and an LB of a split pair already routing to the target is left as it is.
 */
export function switchTo(plan: Plan, several: boolean): LbChange {
  const [from, to] = [plan.live!, plan.target!];
  const emergency = !!plan.intent.emergency;
  return {
    title: (lb) => `Switch ${lb.frontend}${lb.acl ? ` (${lb.acl})` : ''}${several ? ` on ${lb.ssh}` : ''} and reload HAProxy`,
    edit: (config, app) => {
      const lb = app.loadBalancer;
      if (findRouting(config, lb.frontend, lb.acl).backend === app.slots[to].backend) return undefined;
      return withRouting(withoutCanary(config, lb.frontend, lb.acl, app.name), lb.frontend, lb.acl, app.slots[to].backend);
    },
    alreadyNote: (lb) => `${lb.ssh} already routes to ${slotLabel(to)}`,
    alsoAccepts: emergency ? to : undefined,
    refuse: (config, app) => (backendExists(config, app.slots[to].backend) ? undefined : `${app.loadBalancer.config} has no backend "${app.slots[to].backend}" (${slotLabel(to)}'s backend in bluegreen.yaml); nothing was switched`),
    verify: (s) => verifyLive(s.ctx, plan.snapshot, to, !emergency),
    verifyTitle: 'Verify the new LIVE through the frontend',
    back: from,
    ifRestoreFails: (host) => `HAProxy may still route to ${slotLabel(to)}: check the config on ${host} now.`,
    afterFailedReload: (lb) => `LIVE is ${slotLabel(from)}; check HAProxy on ${lb.ssh}.`,
    cancelUndoes: true,
    noun: 'switch',
    verb: 'switched',
  };
}

/**
 * The watch's switch back to `from` as the pipeline's change: only the routing line rewritten in
 * the config as it is now (whatever else changed since the switch stays), checked by `from`
 * answering through the frontend, healthy or not: traffic goes back whatever `from`'s health.
 */
export function switchBack(before: AppSnapshot, from: SlotName, to: SlotName, several: boolean): LbChange {
  return {
    title: (lb) => `Switch back: route ${lb.frontend} to ${slotLabel(from)}${several ? ` on ${lb.ssh}` : ''} and reload HAProxy`,
    edit: (config, app) => {
      const lb = app.loadBalancer;
      if (findRouting(config, lb.frontend, lb.acl).backend === app.slots[from].backend) return undefined;
      return withRouting(config, lb.frontend, lb.acl, app.slots[from].backend);
    },
    alreadyNote: (lb) => `${lb.ssh} already routes to ${slotLabel(from)}`,
    verify: (s) => verifyLive(s.ctx, before, from, false),
    verifyTitle: `Verify ${slotLabel(from)} answers through the frontend`,
    back: to,
    ifRestoreFails: (host) => `HAProxy may still route to ${slotLabel(to)}: check the config on ${host} now.`,
    afterFailedReload: () => `HAProxy still routes to ${slotLabel(to)}.`,
    noun: 'switch back',
    verb: 'switched back',
  };
}
