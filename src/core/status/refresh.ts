import { AppConfig, Config, ServerConfig, SLOT_NAMES } from '../config/types';
import { redact } from '../redact';
import { CommandRunner } from '../ssh/runner';
import { checkHealth, driftOf, probeLoadBalancer, probeServer, roleOf } from './probe';
import { slotOfServers } from './slotOfServers';
import { runSmoke } from './smoke';
import { AppSnapshot, Role, RuntimeServer, ServerSnapshot, SlotSnapshot, Snapshot } from './snapshot';

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
  const [lb, ...perSlot] = await Promise.all([probeLoadBalancer(runner, app, signal), ...SLOT_NAMES.map((name) => Promise.all(app.slots[name].servers.map((server) => probeServerFully(runner, app, server, signal))))]);
  const roles = roleOf(lb, app);
  if (roles.error) lb.error = roles.error;

  const [blue, green] = SLOT_NAMES.map((name, i): SlotSnapshot => {
    const config = app.slots[name];
    const role: Role = roles.live === name ? 'LIVE' : roles.standby === name ? 'STANDBY' : 'UNKNOWN';
    const runtime = lb.runtime?.servers.filter((s) => s.backend === config.backend) ?? [];
    const servers = perSlot[i].map((server, k) => ({ ...server, haproxyCheck: haproxyCheckOf(runtime, config.servers[k].url, config.servers.length) }));
    return slotOfServers(name, role, servers, config.minHealthy);
  });

  if (lb.error) lb.error = redact(lb.error);
  return { name: app.name, url: app.url && redact(app.url), live: roles.live, standby: roles.standby, lb, slots: { blue, green }, drift: driftOf(lb, roles.live) };
}

/** One server: its host (git, pm2), its health endpoint and its smoke checks, at once. */
async function probeServerFully(runner: CommandRunner, app: AppConfig, config: ServerConfig, signal?: AbortSignal): Promise<ServerSnapshot> {
  const [host, health, smoke] = await Promise.all([probeServer(runner, config, signal), checkHealth(runner, app, config, signal), app.smoke.length ? runSmoke(runner, app, config, signal) : undefined]);
  const server: ServerSnapshot = {
    server: config.name,
    host: config.ssh,
    url: redact(config.url),
    reachable: host.reachable ?? false,
    health: 'unknown',
    ...host,
    // What the running process reports beats what is on disk.
    ...health,
    smoke: smoke?.map((r) => ({ ...r, detail: redact(r.detail) })),
  };
  if (!server.reachable && server.health === 'down' && app.health.from === 'slot') server.health = 'unknown';
  // Probe errors can quote remote output; the URL comes from the config as written.
  if (server.error) server.error = redact(server.error);
  if (server.healthDetail) server.healthDetail = redact(server.healthDetail);
  return server;
}

/**
 * HAProxy's check of this server: the backend's server line with its address, or, for a
 * one-server slot or an HAProxy without `addr`, every server line of the backend.
 */
function haproxyCheckOf(runtime: readonly RuntimeServer[], url: string, serversInSlot: number): string | undefined {
  const { hostname, port, protocol } = new URL(url);
  const address = `${hostname.replace(/^\[|\]$/g, '')}:${port || (protocol === 'https:' ? '443' : '80')}`;
  const mine = runtime.filter((s) => s.address === address);
  const shown = mine.length ? mine : serversInSlot === 1 ? runtime : [];
  return shown.length ? shown.map((s) => s.status).join(',') : undefined;
}
