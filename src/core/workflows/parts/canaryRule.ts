import { CanaryKey, findCanary, withCanary, withoutCanary } from '../../haproxy/canary';
import { Plan } from '../../plan/types';
import { liveUnchanged } from '../../status/describe';
import { slotLabel } from '../../status/snapshot';
import { LbChange } from './lbChange';
import { untilReloaded } from './reloaded';
import { verifyLive } from './verify';

/**
 * A canary's rule as the pipeline's change: added for this app only, just before its routing
 * line, or removed. Who answers a started canary through the frontend cannot prove it (the LB
 * host's own address falls in one bucket), so the check first waits for HAProxy's reloaded
 * process, then asks for a 200 from a slot the rule allows.
 */
export function canaryRule(plan: Plan, o: { key: CanaryKey; percent: number; several: boolean }): LbChange {
  const end = plan.intent.kind === 'end-canary';
  const [live, standby] = [plan.live!, plan.target!];
  return {
    title: (lb) => (end ? `Remove the canary rule from ${lb.frontend}` : `Add the canary rule (${o.percent}% to ${slotLabel(standby)}) to ${lb.frontend}`) + `${o.several ? ` on ${lb.ssh}` : ''} and reload HAProxy`,
    edit: (config, app) => {
      const lb = app.loadBalancer;
      if (!end) return withCanary(config, lb.frontend, lb.acl, app.name, app.slots[standby].backend, o.key, o.percent);
      return findCanary(config, lb.frontend, lb.acl, app.name) ? withoutCanary(config, lb.frontend, lb.acl, app.name) : undefined;
    },
    alreadyNote: (lb) => `${lb.ssh} has no canary rule of ${plan.app}`,
    marksWorker: true,
    verify: async (s, mark) => {
      await untilReloaded(s.ctx, mark.worker, mark.at);
      // Ended: every client on LIVE. Started: this host's own requests land on either slot.
      return end ? verifyLive(s.ctx, plan.snapshot, live, true) : verifyLive(s.ctx, plan.snapshot, standby, true, live);
    },
    verifyTitle: 'Verify the app answers through the frontend',
    back: live,
    ifRestoreFails: (host) => `HAProxy may still have the new rule: check the config on ${host} now.`,
    afterFailedReload: (lb) => `${liveUnchanged(plan.snapshot)} No canary change was made${o.several ? ` on ${lb.ssh}` : ''}.`,
    noun: 'canary change',
    verb: 'changed',
  };
}
