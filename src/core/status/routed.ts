import { AppConfig, otherSlot, SlotName } from '../config/types';
import { AppSnapshot } from './snapshot';

/**
 * The app as it is once HAProxy was seen routing to `live` (a switch verified through the
 * frontend, or a switch back): roles and routing follow at once, without waiting for the next
 * probe, so nothing shows the old LIVE while the new one serves.
 */
export function routedTo(app: AppSnapshot, config: AppConfig, live: SlotName, watchUntil?: number): AppSnapshot {
  return {
    ...app,
    live,
    standby: otherSlot(live),
    lb: { ...app.lb, backend: config.slots[live].backend },
    slots: { blue: { ...app.slots.blue, role: live === 'blue' ? 'LIVE' : 'STANDBY' }, green: { ...app.slots.green, role: live === 'green' ? 'LIVE' : 'STANDBY' } },
    watchUntil: watchUntil === undefined ? undefined : new Date(watchUntil).toISOString(),
  };
}

/** "watching (27 s left)" while the post-switch watch runs; undefined otherwise. */
export function watchText(app: AppSnapshot, now = Date.now()): string | undefined {
  if (!app.watchUntil) return undefined;
  const left = Math.ceil((Date.parse(app.watchUntil) - now) / 1000);
  return left > 0 ? `watching (${left} s left)` : undefined;
}
