// Which hosts, apps and load balancers a lab has: `npm run lab -- up --apps N --servers N --lbs N`.
import * as path from 'node:path';

export type SlotColour = 'blue' | 'green';

export interface LabTopology {
  apps: number;
  servers: number;
  lbs: number;
  /** `--staging`: a staging host for the first app (absent otherwise, so a lab.json written before reads the same). */
  staging?: true;
}

export const DEFAULT_TOPOLOGY: LabTopology = { apps: 1, servers: 1, lbs: 1 };

/** One host of the lab: its own loopback address, sshd and home folder. */
export interface LabHost {
  name: string;
  alias: string;
  address: string;
  sshPort: number;
  home: string;
}

/** A load balancer: an HAProxy with its config, sockets and reload command, on its own host. */
export interface LabLoadBalancer {
  host: string;
  haproxyConfig: string;
  adminSocket: string;
  masterSocket: string;
  pidFile: string;
  reloadCommand: string;
  frontendUrl: string;
  sharedFrontendUrl: string;
}

/** An app: its name, the Host header that routes it in the shared frontend, and each slot's server hosts. */
export interface LabApp {
  name: string;
  hostHeader: string;
  acl: string;
  slots: Record<SlotColour, string[]>;
  /** The app's state file on each load balancer (the same path under each LB's home). */
  stateFiles: string[];
}

/** The first app is the demo every single-app test uses; the others are named by number. */
export function appName(n: number): string {
  return n === 1 ? 'demo' : `app${n}`;
}

/** The first app's first server of each slot keeps the short names (blue, green) the tests know. */
export function serverHostName(app: number, slot: SlotColour, server: number): string {
  return `${app === 1 ? '' : `${appName(app)}-`}${slot}${server === 1 ? '' : `-${server}`}`;
}

/** The pm2 process of an app's slot: demo-blue for the first app, app2-blue for the second… on each of its servers. */
export function pm2Name(app: string, slot: SlotColour): string {
  return `${app}-${slot}`;
}

/** The first app's staging server (`--staging`), outside every load balancer. */
export const STAGING_HOST = 'staging';

export function lbHostName(n: number): string {
  return n === 1 ? 'lb' : `lb${n}`;
}

/**
 * Every host in address order: LB 1, BLUE and GREEN of the first app (.1 to .3, as a default lab
 * has always had), then the other load balancers, then every other server.
 */
export function plannedHosts(t: LabTopology): string[] {
  const servers: string[] = [];
  for (let a = 1; a <= t.apps; a++) for (const slot of ['blue', 'green'] as const) for (let k = 1; k <= t.servers; k++) servers.push(serverHostName(a, slot, k));
  const lbs = Array.from({ length: t.lbs }, (_, i) => lbHostName(i + 1));
  const first = ['lb', 'blue', 'green'];
  // Last, so every other host keeps the address it has without --staging.
  return [...first, ...lbs.filter((h) => !first.includes(h)), ...servers.filter((h) => !first.includes(h)), ...(t.staging ? [STAGING_HOST] : [])];
}

export function plannedApps(t: LabTopology, lbHomes: string[]): LabApp[] {
  return Array.from({ length: t.apps }, (_, i) => {
    const name = appName(i + 1);
    const slot = (colour: SlotColour) => Array.from({ length: t.servers }, (_, k) => serverHostName(i + 1, colour, k + 1));
    return { name, hostHeader: `${name}.lab`, acl: `is_${name}`, slots: { blue: slot('blue'), green: slot('green') }, stateFiles: lbHomes.map((home) => path.join(home, 'state', `${name}-deployment-state.json`)) };
  });
}

export function parseTopology(values: { apps?: string; servers?: string; lbs?: string; staging?: boolean }): LabTopology {
  const count = (name: 'apps' | 'servers' | 'lbs', max: number): number => {
    const text = values[name];
    if (text === undefined) return DEFAULT_TOPOLOGY[name];
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`lab: --${name} must be a whole number from 1 to ${max}, not ${text}`);
    return n;
  };
  const t: LabTopology = { apps: count('apps', 20), servers: count('servers', 8), lbs: count('lbs', 4), ...(values.staging ? { staging: true as const } : {}) };
  const hosts = plannedHosts(t).length;
  if (hosts > 250) throw new Error(`lab: ${t.apps} apps × 2 slots × ${t.servers} servers + ${t.lbs} load balancers is ${hosts} hosts; one /24 holds 250`);
  return t;
}
