/** The validated configuration, with defaults applied (see schema/bluegreen.schema.json). */
export type SlotName = 'blue' | 'green';
export const SLOT_NAMES: readonly SlotName[] = ['blue', 'green'];

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'blue' ? 'green' : 'blue';
}

export interface HostConfig {
  /** ssh_config alias or user@host[:port]. */
  ssh: string;
  /** Words put before every command on this host (`pct exec 136 --`, `sudo`). */
  via?: string;
}

/** One server of a slot's HAProxy backend: a host with the app's checkout and pm2 process. */
export interface ServerConfig extends HostConfig {
  /** What the output, the tree and errors call it: `name:` in the config, else its ssh. */
  name: string;
  url: string;
  dir: string;
  pm2: string;
}

/** A slot: one backend, served by one server (`ssh`, `url` on the slot) or several (`servers:`). */
export interface SlotConfig {
  backend: string;
  branch?: string;
  servers: ServerConfig[];
  /** Servers that must be healthy for the slot to be (default: all). */
  minHealthy: number;
}

export interface LoadBalancerConfig extends HostConfig {
  config: string;
  frontend: string;
  acl?: string;
  reload: string;
  /** Checks a candidate config; `{file}` is its path. */
  validate: string;
  stateFile: string;
  /** History entries kept in the state file; older ones move to `${stateFile}.history.jsonl`. */
  historyKept: number;
  statsSocket?: string;
  /** HAProxy's master CLI (`-S`): old processes and their connections after a reload. */
  masterSocket?: string;
  frontendUrl?: string;
  /** `source`, `cookie:NAME` or `header:NAME`: what a canary hashes to keep a client on one slot. */
  canaryBy: string;
}

/** One HTTP check a slot must pass before it may become LIVE. */
export interface SmokeCheck {
  name?: string;
  path: string;
  host?: string;
  status: number;
  contains?: string;
  json?: { field: string; equals: string | number | boolean };
  maxMs?: number;
}

export interface HealthConfig {
  path: string;
  timeoutMs: number;
  attempts: number;
  intervalMs: number;
  from: 'slot' | 'lb';
}

export interface Hook {
  /** A name from `hosts`, or `standby` or `lb`. */
  host: string;
  run: string;
}

/** Which SQL the migrations check reads: squawk and the built-in check know PostgreSQL, only the built-in check MySQL. */
export type MigrationsDialect = 'postgres' | 'mysql';

export interface DeployConfig {
  branch: string;
  remote: string;
  install: string;
  build: string;
  migrate?: string;
  restart: string;
  keepBackups: number;
  /** How many of a slot's servers a deploy works on at once. */
  parallel?: number;
  /** Globs (git pathspec, from the repository's root) of the SQL migrations a release checks. */
  migrations: string[];
  /** The SQL the migrations are written in; unset: what prisma/schema.prisma's datasource names, else PostgreSQL. */
  migrationsDialect?: MigrationsDialect;
  hooks?: { backup?: Hook[]; beforeMigrate?: Hook[] };
}

/** What HAProxy counts for the new LIVE during the watch that switches traffic back. */
export interface WatchThresholds {
  max5xxPercent: number;
  maxResponseMs?: number;
  minRequests: number;
}

export interface ReleaseConfig {
  watchSeconds: number;
  watchFailures: number;
  watch: WatchThresholds;
}

/**
 * Servers outside the load balancer that follow a branch: a deploy there moves no production
 * traffic, and its outcome is recorded on the first server (staging/record.ts).
 */
export interface StagingConfig {
  branch: string;
  /** The promotion gate: a deploy to STANDBY takes only a commit staging passed (or a person's reason). */
  required: boolean;
  servers: ServerConfig[];
  /** The app's health with `staging.health`'s keys over it; always checked from the staging server. */
  health: HealthConfig;
  /** `staging.smoke`, else the app's. */
  smoke: SmokeCheck[];
}

/** What a webhook can be told of (the schema's notifyEvent lists the same). */
export const NOTIFY_EVENTS = ['staging-passed', 'staging-failed', 'release', 'rollback', 'emergency-release', 'switch-back', 'canary-started', 'canary-ended'] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

/** One `notify:` entry: where an event is posted, in which body, for which events. */
export interface WebhookConfig {
  url: string;
  format: 'json' | 'slack';
  /** Only these events; absent: all of them. */
  events?: NotifyEventName[];
  timeoutSeconds: number;
}

export interface AppConfig {
  /** The config's named extra hosts, for this app's hooks. */
  hosts?: Record<string, HostConfig>;
  /** The bluegreen.yaml it was loaded from and its text's sha256: what an approval is bound to. */
  source?: { file: string; sha256: string };
  name: string;
  url?: string;
  /** Absolute local path of the app's code (`folder:`, resolved against the config file's folder). */
  folder?: string;
  /** The first of `loadBalancers`: where the app's lock is taken, and the one a status line names. */
  loadBalancer: LoadBalancerConfig;
  /** Every HAProxy host that routes the app (`loadBalancer:` alone, or each of `loadBalancers:`), in config order. */
  loadBalancers: LoadBalancerConfig[];
  slots: Record<SlotName, SlotConfig>;
  staging?: StagingConfig;
  health: HealthConfig;
  smoke: SmokeCheck[];
  /** A log command per slot, for apps that do not log through pm2's files (workflows/logs.ts runs it). */
  logs?: Partial<Record<SlotName, string>>;
  deploy: DeployConfig;
  release: ReleaseConfig;
  /** The top-level `notify:` with the app's own over it (config/notify.ts); absent or empty: no webhooks. */
  notify?: WebhookConfig[];
}

export interface SshSettings {
  /** Absolute local path, resolved against the config file's folder. */
  config?: string;
  knownHosts?: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  keepaliveIntervalMs: number;
}

export interface Config {
  version: 1;
  /** Absolute path of the file this came from. */
  file: string;
  ssh: SshSettings;
  /** Named extra hosts for hooks. */
  hosts?: Record<string, HostConfig>;
  /** Webhooks for every app (each app's `notify` already includes them). */
  notify?: WebhookConfig[];
  apps: AppConfig[];
}
