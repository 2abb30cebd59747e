import { SLOT_NAMES, SlotName } from '../config/types';
import type { Finding } from '../haproxy/doctor';
import { StrayRoute } from '../haproxy/strayRoutes';
import { DeploymentState } from '../state/stateFile';
import type { StagingEntry } from '../state/stagingRecord';
import type { TrafficProof } from './trafficProof';

/** The one model that the tree, the status bar and `bluegreen status --json` render. */
export interface Snapshot {
  takenAt: string;
  durationMs: number;
  apps: AppSnapshot[];
}

export type Role = 'LIVE' | 'STANDBY' | 'UNKNOWN';
export type Health = 'up' | 'down' | 'unknown';

export interface AppSnapshot {
  name: string;
  url?: string;
  live?: SlotName;
  standby?: SlotName;
  /** The first load balancer (the one whose routing gives the roles). */
  lb: LoadBalancerSnapshot;
  /** Every load balancer, `lb` first; one for most apps, two for a pair behind a floating address. */
  lbs: LoadBalancerSnapshot[];
  slots: Record<SlotName, SlotSnapshot>;
  drift: Drift[];
  /** While the new LIVE is watched after a switch: when the watch ends (ISO time). */
  watchUntil?: string;
  /** The app's staging (`staging:` in bluegreen.yaml), as its record says. */
  staging?: StagingSnapshot;
}

/** Staging as its record on the first staging server says (the servers themselves are not probed). */
export interface StagingSnapshot {
  /** The staging server the record is on. */
  host: string;
  branch: string;
  file: string;
  reachable: boolean;
  status: 'ok' | 'never-deployed' | 'unreadable' | 'unknown';
  error?: string;
  /** The last deploy to staging: commit, version, passed or failed, when, who. */
  last?: StagingEntry;
}

export interface Drift {
  /** With several load balancers: the one this is about (its host). */
  lb?: string;
  kind: 'state-file-disagrees' | 'state-file-missing' | 'state-file-corrupt' | 'config-not-loaded' | 'mixed-routing' | 'config-not-named' | 'state-file-too-large' | 'watch-interrupted' | 'canary-disagrees' | 'load-balancers-disagree' | 'traffic-reaches-standby';
  message: string;
}

export interface LoadBalancerSnapshot {
  host: string;
  reachable: boolean;
  error?: string;
  frontend: string;
  acl?: string;
  /** The backend HAProxy's config routes the app to (the source of truth). */
  backend?: string;
  /** The slot whose backend that is. */
  routesTo?: SlotName;
  routingLine?: number;
  /** Why a switch cannot rewrite the routing line (it is inherited from a defaults section). */
  notSwitchable?: string;
  /** Other rules of the frontend that send traffic to a slot's backend: the traffic is split. */
  strayRoutes?: StrayRoute[];
  idleCloseOnResponse?: boolean;
  /** What the doctor finds wrong in the LB's setup (`bluegreen doctor`), warnings and errors only. */
  findings?: Finding[];
  /** The state file as read: the fields every shape of it has (the raw ones stay with the reader). */
  state: Omit<DeploymentState, 'raw'> & {
    file: string;
    status: 'ok' | 'missing' | 'corrupt' | 'too-large' | 'unknown';
    error?: string;
  };
  /** This app's canary rule in HAProxy's config: a share of its clients sent to `slot`. */
  canary?: { percent: number; key: string; line: number; backend: string; slot?: SlotName };
  /** What HAProxy counted for each slot's backend since its process started (stats socket). */
  traffic?: Partial<Record<SlotName, BackendTraffic>>;
  /** Who holds the app's lock now, when someone does (an operation, or a watch). */
  lock?: LockHolder;
  /** No running HAProxy names the configured file on its command line (`running`: the files it does name). */
  configNotNamed?: { config: string; running: string[] };
  /** The config file is newer than the running HAProxy worker (edited, not reloaded). */
  configChangedAfterLoad?: boolean;
  /** From the master CLI, when configured: HAProxy processes still draining after a reload. */
  oldProcesses?: OldProcess[];
  /** How the roles read from the config were checked against what HAProxy does (trafficProof.ts). */
  trafficProof?: TrafficProof;
  /** From the stats socket, when configured. */
  runtime?: { error?: string; uptimeSec?: number; servers: RuntimeServer[] };
}

export interface LockHolder {
  who: string;
  operation: string;
  since?: string;
}

/** An HAProxy process left from a reload, still serving the connections it had. */
export interface OldProcess {
  pid: number;
  uptime: string;
  connections?: number;
}

/** What HAProxy has counted for one backend since its process started. */
export interface BackendTraffic {
  /** `stot`: every request routed to it, HAProxy's own error answers included. */
  sessions: number;
  /** `req_tot`: HTTP requests (HTTP mode); `sessions` where HAProxy does not count them. */
  requests: number;
  /** `hrsp_5xx`: answers with a 5xx status. */
  http5xx: number;
  /** `rtime`: average response time of the last 1024 requests, in ms. */
  responseMs: number;
}

/** One smoke check's outcome on one slot. */
export interface SmokeResult {
  name: string;
  ok: boolean;
  /** What was wrong, or what was seen ("HTTP 200 in 12 ms"). */
  detail: string;
}

export interface RuntimeServer {
  backend: string;
  server: string;
  /** `addr` (ip:port), from HAProxy 1.9 on: which configured server this is. */
  address?: string;
  status: string;
  check?: string;
  sessions: number;
}

export interface ReportedIdentity {
  version?: string;
  commit?: string;
  environment?: string;
}

/** What one server of a slot reports: its host, its health endpoint, git and pm2. */
export interface ServerSnapshot {
  /** The server's name (bluegreen.yaml's `name:`, else its ssh). */
  server: string;
  host: string;
  url: string;
  reachable: boolean;
  error?: string;
  health: Health;
  healthDetail?: string;
  httpStatus?: number;
  responseMs?: number;
  /** From package.json in the server's checkout. */
  version?: string;
  /** From git in the server's checkout. */
  commit?: string;
  branch?: string;
  tag?: string;
  /** What the health body says about itself: the host's claims, shown, never used to decide anything. */
  reported?: ReportedIdentity;
  /** The health body's claims contradict git or package.json: "reports v1.3.0, package.json says 1.2.0". */
  claimsDisagree?: string;
  /** The app's smoke checks against this server (`smoke:` in bluegreen.yaml), when it has any. */
  smoke?: SmokeResult[];
  /** HAProxy's own check of this slot's server(s). */
  haproxyCheck?: string;
  /** `restarts` is known only when pm2 itself was asked (the process was not running). */
  pm2?: { status: string; restarts?: number; uptimeMs?: number; pid?: number };
}

/**
 * A slot: the same fields as its servers, summed up (healthy when `minHealthy` of them are;
 * a version or commit only when they all agree, else `serversDisagree` says how they differ),
 * and each server's own in `servers`. With one server, the slot's fields are that server's.
 */
export interface SlotSnapshot extends Omit<ServerSnapshot, 'server'> {
  name: SlotName;
  role: Role;
  servers: ServerSnapshot[];
  /** The servers run different commits or versions: "commit: web1 1a2b3c4, web2 5d6e7f8". */
  serversDisagree?: string;
}

export function slotLabel(name: SlotName): string {
  return name.toUpperCase();
}

/** Whether something needs attention, and how badly: drives the badge's colour. */
export function severity(app: AppSnapshot): 'ok' | 'warning' | 'error' {
  const live = liveSlot(app);
  if (!app.lb.reachable || !live || live.health !== 'up' || app.lb.strayRoutes?.length || app.drift.some((d) => d.kind === 'load-balancers-disagree' || d.kind === 'traffic-reaches-standby')) return 'error';
  const standby = app.standby && app.slots[app.standby];
  if (app.drift.length || !standby || standby.health !== 'up' || slotList(app).some((s) => s.smoke?.some((r) => !r.ok))) return 'warning';
  return 'ok';
}

/** Both slots, BLUE first: for lists and tables. */
export function slotList(app: AppSnapshot): SlotSnapshot[] {
  return SLOT_NAMES.map((name) => app.slots[name]);
}

export function liveSlot(app: AppSnapshot | undefined): SlotSnapshot | undefined {
  return app?.live && app.slots[app.live];
}
