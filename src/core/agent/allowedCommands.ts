import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppConfig, Config, HostConfig, SLOT_NAMES } from '../config/types';
import { shownWebhook } from '../notify/shownUrl';

/**
 * Every command bluegreen.yaml makes Blue-Green run, with the hosts it runs them on: what an
 * agent's tool call may run only once a person allowed exactly this text (as direnv asks
 * before it runs a changed .envrc). One line each, in a fixed order, so a change is a diff.
 */
export function commandsText(config: Config): string {
  const lines: string[] = [];
  const on = (h: HostConfig) => `${h.ssh}${h.via ? ` via "${h.via}"` : ''}`;
  // The ssh_config bluegreen.yaml names decides which machine each alias reaches: its text counts, not only its name.
  if (config.ssh.config) lines.push(`ssh config file: ${config.ssh.config} (sha256 ${fileHash(config.ssh.config)})`);
  if (config.ssh.knownHosts) lines.push(`ssh known_hosts file: ${config.ssh.knownHosts}`);
  for (const app of config.apps) {
    const servers = SLOT_NAMES.flatMap((s) => app.slots[s].servers.map((v) => `${s} ${on(v)} in ${v.dir} (pm2 ${v.pm2})`));
    lines.push(`${app.name}: slot servers: ${servers.join('; ')}`);
    // Staging runs the same deploy steps on machines of its own, the code of the branch it follows.
    if (app.staging) {
      lines.push(`${app.name}: staging servers: ${app.staging.servers.map((v) => `${on(v)} in ${v.dir} (pm2 ${v.pm2})`).join('; ')}`);
      lines.push(`${app.name}: staging follows ${app.deploy.remote}/${app.staging.branch}`);
    }
    lines.push(`${app.name}: deploys fetch from the git remote ${app.deploy.remote}`);
    const where = app.staging ? "STANDBY's and staging's servers" : "STANDBY's servers";
    for (const step of ['install', 'migrate', 'build', 'restart'] as const) {
      const command = app.deploy[step];
      if (command !== undefined) lines.push(`${app.name}: deploy.${step} on ${where}: ${command}`);
    }
    for (const slot of SLOT_NAMES) {
      const command = app.logs?.[slot];
      if (command !== undefined) lines.push(`${app.name}: logs.${slot} on ${slot.toUpperCase()}'s servers: ${command}`);
    }
    // Who hears of every release: a changed url is a change; the text shows only its host (its path is its secret).
    for (const hook of app.notify ?? []) lines.push(`${app.name}: notify ${shownWebhook(hook.url)} (sha256 ${createHash('sha256').update(hook.url).digest('hex').slice(0, 16)})`);
    for (const phase of ['backup', 'beforeMigrate'] as const) {
      for (const hook of app.deploy.hooks?.[phase] ?? []) lines.push(`${app.name}: hook ${phase} on ${hookWhere(app, hook.host)}: ${hook.run}`);
    }
    for (const lb of app.loadBalancers) {
      lines.push(`${app.name}: load balancer ${on(lb)} reload: ${lb.reload}`);
      lines.push(`${app.name}: load balancer ${on(lb)} validate: ${lb.validate}`);
    }
  }
  return lines.join('\n');
}

function fileHash(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch {
    return 'unreadable';
  }
}

function hookWhere(app: AppConfig, host: string): string {
  if (host === 'standby' || host === 'lb') return host === 'lb' ? `the load balancer (${app.loadBalancer.ssh})` : "STANDBY's first server";
  const h = app.hosts?.[host];
  return h ? `${host} (${h.ssh}${h.via ? ` via "${h.via}"` : ''})` : host;
}

export function commandsHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Lines added (+) and removed (−) between what was allowed and what is there now. */
export function commandsDiff(before: string | undefined, now: string): string[] {
  const was = new Set((before ?? '').split('\n').filter(Boolean));
  const is = new Set(now.split('\n').filter(Boolean));
  return [...[...is].filter((l) => !was.has(l)).map((l) => `+ ${l}`), ...[...was].filter((l) => !is.has(l)).map((l) => `− ${l}`)];
}

interface Allowed {
  sha256: string;
  text: string;
  at: string;
}

/**
 * Where the allowed texts live: the user's own config folder, outside every workspace (an
 * agent that can edit the workspace cannot allow its own edit), owner-only.
 */
export function allowedCommandsFile(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'bluegreen', 'allowed-commands.json');
}

function keyOf(configFile: string): string {
  try {
    return realpathSync(configFile);
  } catch {
    return path.resolve(configFile);
  }
}

function readStore(): Record<string, Allowed> {
  const file = allowedCommandsFile();
  try {
    const st = lstatSync(file);
    // A file others could write, or not a plain file, allows nothing.
    if (!st.isFile() || (st.mode & 0o022) || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return {};
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Allowed>) : {};
  } catch {
    return {};
  }
}

/** What a person last allowed for this config file, if anything. */
export function allowedFor(configFile: string): Allowed | undefined {
  const found = readStore()[keyOf(configFile)];
  return found && typeof found.sha256 === 'string' && typeof found.text === 'string' ? found : undefined;
}

/** Records that a person allowed exactly `text` for this config file. */
export function recordAllowed(configFile: string, text: string, now = new Date()): void {
  const file = allowedCommandsFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(file), 0o700);
  const store = { ...readStore(), [keyOf(configFile)]: { sha256: commandsHash(text), text, at: now.toISOString() } };
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}
