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
