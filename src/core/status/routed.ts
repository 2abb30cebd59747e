import { AppConfig, otherSlot, SlotName } from '../config/types';
import { AppSnapshot, slotLabel } from './snapshot';
import { timeLeft } from '../format';

/**
 * The app as it is once HAProxy was seen routing to `live` (a switch verified through the
 * frontend, or a switch back): roles and routing follow at once, without waiting for the next
 * probe, so nothing shows the old LIVE while the new one serves.
 */
export function routedTo(app: AppSnapshot, config: AppConfig, live: SlotName, watchUntil?: number): AppSnapshot {
  // A release switches every load balancer before it says where traffic goes: all route to `live`.
  const lbs = app.lbs.map((lb) => ({ ...lb, backend: config.slots[live].backend, routesTo: live }));
  return {
    ...app,
    live,
    standby: otherSlot(live),
    lb: lbs[0],
    lbs,
    drift: app.drift.filter((d) => d.kind !== 'load-balancers-disagree'),
    slots: { blue: { ...app.slots.blue, role: live === 'blue' ? 'LIVE' : 'STANDBY' }, green: { ...app.slots.green, role: live === 'green' ? 'LIVE' : 'STANDBY' } },
    watchUntil: watchUntil === undefined ? undefined : new Date(watchUntil).toISOString(),
  };
}

/**
 * "watching GREEN (27 s left)" while a post-switch watch runs, whoever runs it (this window, or
 * another process holding the lock); "watch interrupted (23 min left)" when nobody does.
 */
export function watchText(app: AppSnapshot, now = Date.now()): string | undefined {
  const recorded = app.lb.state.watch;
  if (app.watchUntil && Date.parse(app.watchUntil) > now) return `watching (${timeLeft(app.watchUntil, now)} left)`;
  if (!recorded || Date.parse(recorded.until) <= now || recorded.slot !== app.live) return undefined;
  return app.lb.lock ? `watching ${slotLabel(recorded.slot)} (${timeLeft(recorded.until, now)} left)` : `watch interrupted (${timeLeft(recorded.until, now)} left)`;
}
