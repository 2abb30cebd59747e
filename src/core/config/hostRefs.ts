// Where an app's commands go, from its config alone: one definition for the prober, the
// migrations check and the workflows, which would otherwise have to import one another.
import { HostRef } from '../ssh/runner';
import { AppConfig, ServerConfig, SlotName } from './types';

export function lbHost(app: AppConfig): HostRef {
  return { ssh: app.loadBalancer.ssh, via: app.loadBalancer.via };
}

export function serverHost(server: ServerConfig): HostRef {
  return { ssh: server.ssh, via: server.via };
}

/** The host a slot-wide step runs on (git history, the migrations' diff): its first server. */
export function slotHost(app: AppConfig, slot: SlotName): HostRef {
  return serverHost(app.slots[slot].servers[0]);
}

/** Where a server's health is asked for, and from which host (`health.from`). */
export function healthTarget(app: AppConfig, server: ServerConfig): { from: HostRef; url: string } {
  return { from: app.health.from === 'lb' ? lbHost(app) : serverHost(server), url: server.url.replace(/\/$/, '') + app.health.path };
}

/**
 * The health endpoint through the frontend, as the LB host reaches it: `frontendUrl` (with the
 * app's Host when it names one) or the app's url; undefined when neither is configured.
 */
export function frontendHealth(app: AppConfig): { url: string; hostHeader?: string } | undefined {
  const base = app.loadBalancer.frontendUrl ?? app.url;
  if (!base) return undefined;
  return { url: base.replace(/\/$/, '') + app.health.path, hostHeader: app.loadBalancer.frontendUrl && app.url ? new URL(app.url).host : undefined };
}

/**
 * "10.0.0.2:3001", "[::1]:3001": a server's url as HAProxy's `show stat` names the address
 * (`addr`) it sends to (an IPv6 address in brackets, as the URL has it). A url with a host name
 * matches no `addr` (HAProxy shows the address it resolved): its counts are not matched by address.
 */
export function serverAddress(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
}
