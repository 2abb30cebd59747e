import { appViaEach } from '../config/appVia';
import { serverAddress } from '../config/hostRefs';
import { AppConfig, Config, otherSlot, ServerConfig, SLOT_NAMES, SlotName } from '../config/types';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { redact, redactedCopy } from '../redact';
import { CommandRunner } from '../ssh/runner';
import { claimsDisagreement } from './claims';
import { driftOf } from './drift';
import { probeLoadBalancer } from './probeLoadBalancer';
import { checkHealth, probeServer } from './probeServer';
import { OncePerRefresh } from './oncePerRefresh';
import { trafficContradiction } from './trafficProof';
import { slotOfServers } from './slotOfServers';
import { askThroughFrontend, whoAnswered } from './throughFrontend';
import { runSmoke } from './smoke';
import { readStaging } from './stagingStatus';
import { AppSnapshot, Drift, LoadBalancerSnapshot, Role, RuntimeServer, ServerSnapshot, slotLabel, SlotSnapshot, Snapshot } from './snapshot';

/**
 * Probes every host of every app in parallel. A host that cannot be reached marks its own
 * rows unreachable; it never fails the whole refresh.
 */
export async function takeSnapshot(runner: CommandRunner, config: Config, signal?: AbortSignal): Promise<Snapshot> {
  const started = Date.now();
  // Apps that share a load balancer share its stats socket's and master CLI's answers.
  const shared = new OncePerRefresh(config.apps);
  // Staging is read beside the app, not inside snapshotApp: a deploy's own reading of the roles does not need it.
  const apps = await Promise.all(
    config.apps.map(async (app) => {
      const [snapshot, staging] = await Promise.all([snapshotApp(runner, app, signal, shared), readStaging(runner, app, signal)]);
      return staging ? { ...snapshot, staging: redactedCopy(staging) } : snapshot;
    }),
  );
  return { takenAt: new Date(started).toISOString(), durationMs: Date.now() - started, apps };
}

export async function snapshotApp(runner: CommandRunner, app: AppConfig, signal?: AbortSignal, shared = new OncePerRefresh()): Promise<AppSnapshot> {
  const vias = appViaEach(app);
  // The request through each frontend goes with the probes; who answered it is judged once the slots' own answers are in.
  const throughFrontends = vias.map((via) => askThroughFrontend(runner, via, signal));
  const [lbs, ...perSlot] = await Promise.all([Promise.all(vias.map((via, i) => probeLoadBalancer(runner, via, signal, shared, throughFrontends[i]))), ...SLOT_NAMES.map((name) => Promise.all(app.slots[name].servers.map((server) => probeServerFully(runner, app, server, signal))))]);
  const [lb] = lbs;
  for (const each of lbs) {
    const theirs = roleOf(each, app);
    if (theirs.error) each.error = theirs.error;
    each.routesTo = theirs.live;
  }
  const roles = { live: lb.routesTo, standby: lb.routesTo && otherSlot(lb.routesTo) };

  const [blue, green] = SLOT_NAMES.map((name, i): SlotSnapshot => {
    const config = app.slots[name];
    const role: Role = roles.live === name ? 'LIVE' : roles.standby === name ? 'STANDBY' : 'UNKNOWN';
    const runtime = lb.runtime?.servers.filter((s) => s.backend === config.backend) ?? [];
    const servers = perSlot[i].map((server, k) => ({ ...server, haproxyCheck: haproxyCheckOf(runtime, config.servers[k].url, config.servers.length) }));
    return slotOfServers(name, role, servers, config.minHealthy);
  });

  for (const each of lbs) if (each.error) each.error = redact(each.error);
  const drift = lbs.length === 1 ? driftOf(lb, roles.live) : pairDrift(lbs, roles.live);
  for (const [i, each] of lbs.entries()) {
    const proof = each.trafficProof;
    if (!proof || !each.routesTo) continue;
    const answered = await throughFrontends[i];
    if (answered) proof.request = whoAnswered(answered, { blue, green }, each.routesTo);
    const contradiction = trafficContradiction(proof, each.frontend, each.canary?.slot === proof.standby);
    if (contradiction) drift.push({ ...(lbs.length > 1 ? { lb: each.host } : {}), kind: 'traffic-reaches-standby', message: redact(contradiction) });
  }
  // Everything the tree, the badge and an agent are shown comes from here: every text in it redacted.
  return redactedCopy({ name: app.name, url: app.url && redact(app.url), live: roles.live, standby: roles.standby, lb, lbs, slots: { blue, green }, drift });
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
    ...health,
    smoke: smoke?.map((r) => ({ ...r, detail: fromHost(r.detail, HOST_TEXT_LIMITS.line) })),
  };
  const contradiction = claimsDisagreement(server);
  if (contradiction) server.claimsDisagree = contradiction;
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
  const address = serverAddress(url);
  const mine = runtime.filter((s) => s.address === address);
  const shown = mine.length ? mine : serversInSlot === 1 ? runtime : [];
  return shown.length ? shown.map((s) => s.status).join(',') : undefined;
}

/**
 * Each load balancer's own drift, said with its host, and one more when they route the app
 * differently: traffic is then split between them by whichever holds the floating address.
 */
function pairDrift(lbs: readonly LoadBalancerSnapshot[], live: SlotName | undefined): Drift[] {
  const drift = lbs.flatMap((lb) => driftOf(lb, lb.routesTo ?? live).map((d): Drift => ({ ...d, lb: lb.host, message: `${lb.host}: ${d.message}` })));
  const disagreement = loadBalancersDisagree(lbs);
  if (disagreement) drift.unshift({ kind: 'load-balancers-disagree', message: `${disagreement}. Deploy, sync and release are refused until they agree; an emergency release switches every one` });
  return drift;
}

/** "the load balancers do not agree (lb1 routes to BLUE, lb2 routes to GREEN): …", or nothing when they do. */
export function loadBalancersDisagree(lbs: readonly LoadBalancerSnapshot[]): string | undefined {
  const routes = lbs.map((lb) => ({ host: lb.host, live: lb.reachable ? lb.routesTo : undefined, reachable: lb.reachable }));
  if (routes.every((r) => r.live === routes[0].live)) return undefined;
  const said = routes.map((r) => `${r.host} ${r.reachable ? (r.live ? `routes to ${slotLabel(r.live)}` : 'routes to neither slot') : 'cannot be read'}`).join(', ');
  return `the load balancers do not agree (${said}): ${routes.every((r) => r.reachable) ? 'traffic goes to whichever slot the LB holding the address picks' : 'a release cannot switch them all'}`;
}

export function roleOf(lb: LoadBalancerSnapshot, app: AppConfig): { live?: SlotName; standby?: SlotName; error?: string } {
  if (!lb.backend) return {};
  const live = SLOT_NAMES.find((n) => app.slots[n].backend === lb.backend);
  if (!live) return { error: `HAProxy routes ${app.name} to backend "${lb.backend}", which is neither slot's backend (${app.slots.blue.backend}, ${app.slots.green.backend})` };
  return { live, standby: otherSlot(live) };
}
