import { AppConfig, Config, SLOT_NAMES } from '../config/types';
import { redact } from '../redact';
import { CommandRunner } from '../ssh/runner';
import { checkHealth, driftOf, probeLoadBalancer, probeSlotHost, roleOf } from './probe';
import { runSmoke } from './smoke';
import { AppSnapshot, Role, SlotSnapshot, Snapshot } from './snapshot';

/**
 * Probes every host of every app in parallel. A host that cannot be reached marks its own
 * rows unreachable; it never fails the whole refresh.
 */
export async function takeSnapshot(runner: CommandRunner, config: Config, signal?: AbortSignal): Promise<Snapshot> {
  const started = Date.now();
  const apps = await Promise.all(config.apps.map((app) => snapshotApp(runner, app, signal)));
  return { takenAt: new Date(started).toISOString(), durationMs: Date.now() - started, apps };
}

export async function snapshotApp(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<AppSnapshot> {
  const [lb, ...perSlot] = await Promise.all([
    probeLoadBalancer(runner, app, signal),
    ...SLOT_NAMES.map((name) => Promise.all([probeSlotHost(runner, app, name, signal), checkHealth(runner, app, name, signal), app.smoke.length ? runSmoke(runner, app, name, signal) : undefined])),
  ]);
  const roles = roleOf(lb, app);
  if (roles.error) lb.error = roles.error;

  const [blue, green] = SLOT_NAMES.map((name, i): SlotSnapshot => {
    const [host, health, smoke] = perSlot[i];
    const config = app.slots[name];
    const role: Role = roles.live === name ? 'LIVE' : roles.standby === name ? 'STANDBY' : 'UNKNOWN';
    const servers = lb.runtime?.servers.filter((s) => s.backend === config.backend) ?? [];
    const slot: SlotSnapshot = {
      name,
      role,
      host: config.ssh,
      url: redact(config.url),
      reachable: host.reachable ?? false,
      health: 'unknown',
      ...host,
      // What the running process reports beats what is on disk.
      ...health,
      haproxyCheck: servers.length ? servers.map((s) => s.status).join(',') : undefined,
      smoke: smoke?.map((r) => ({ ...r, detail: redact(r.detail) })),
    };
    if (!slot.reachable && slot.health === 'down' && app.health.from === 'slot') {
      slot.health = 'unknown';
    }
    // Probe errors can quote remote output; the URL comes from the config as written.
    if (slot.error) slot.error = redact(slot.error);
    if (slot.healthDetail) slot.healthDetail = redact(slot.healthDetail);
    return slot;
  });

  if (lb.error) lb.error = redact(lb.error);
  return { name: app.name, url: app.url && redact(app.url), live: roles.live, standby: roles.standby, lb, slots: { blue, green }, drift: driftOf(lb, roles.live) };
}
