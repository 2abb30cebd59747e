import { AppConfig, HostConfig, SlotName } from '../core/config/types';

/** What a tree row of a host stands for: a slot (all its servers), one server, or a load balancer. */
export interface NodeHost {
  kind: 'slot' | 'server' | 'lb';
  slot?: SlotName;
  /** The server's name, for a server row or a slot of one server. */
  server?: string;
  /** "GREEN (STANDBY)", "the load balancer". */
  title: string;
  /** The hosts it covers, with their names. */
  hosts: { name: string; host: HostConfig }[];
}

interface RowShape {
  kind?: unknown;
  slot?: { name?: unknown; role?: unknown };
  server?: { server?: unknown };
  lb?: { host?: unknown };
}

/** The host(s) of the tree row a command was run on, as the app's config names them; undefined for any other row. */
export function nodeHost(app: AppConfig, arg: unknown): NodeHost | undefined {
  const row = arg as RowShape | undefined;
  if (row?.kind === 'lb') {
    const lb = app.loadBalancers.find((l) => l.ssh === row.lb?.host) ?? app.loadBalancer;
    return { kind: 'lb', title: `the load balancer ${lb.ssh}`, hosts: [{ name: lb.ssh, host: lb }] };
  }
  const slot = row?.slot?.name;
  if ((row?.kind !== 'slot' && row?.kind !== 'server') || (slot !== 'blue' && slot !== 'green')) return undefined;
  const role = typeof row.slot?.role === 'string' && row.slot.role !== 'UNKNOWN' ? ` (${row.slot.role})` : '';
  const servers = app.slots[slot].servers.filter((s) => row.kind === 'slot' || s.name === row.server?.server);
  if (!servers.length) return undefined;
  const one = servers.length === 1 ? servers[0].name : undefined;
  return { kind: row.kind, slot, server: row.kind === 'server' ? one : undefined, title: `${slot.toUpperCase()}${role}${row.kind === 'server' || one ? ` ${servers[0].name}` : ''}`, hosts: servers.map((s) => ({ name: s.name, host: s })) };
}
