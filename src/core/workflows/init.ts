import * as os from 'node:os';
import * as path from 'node:path';
import { initYaml, InitAnswers, InitServer, SlotName } from '../config/initYaml';
import { parseConfig } from '../config/load';
import { sshAliases } from '../config/scaffold';
import { BlueGreenError, errorMessage } from '../errors';
import { masterSocketOf, proposeReload } from '../haproxy/proposeReload';
import { remote } from '../remote/scripts';
import { shQuote } from '../shell';
import { CommandRunner } from '../ssh/runner';
import { parsePm2Processes, Pm2ProcessInfo } from '../status/pm2Processes';
import { LoadBalancerApps, MatchedServer, readLoadBalancerApps } from './readLoadBalancerApps';

/** How the adapters ask the person: the terminal's numbered list, the editor's quick pick. */
export interface InitChooser {
  /** One of several. `option` names the CLI option that answers it without asking. Cancelling throws. */
  pick<T>(question: string, choices: { label: string; detail?: string; value: T }[], option?: string): Promise<T>;
  /** A value nothing could read; `check` says what is wrong with one, if anything. */
  ask(question: string, check: (value: string) => string | undefined): Promise<string>;
}

export interface InitOptions {
  /** The load balancer: an ssh_config alias or user@host[:port]. */
  lb: string;
  /** The ssh_config whose aliases the file uses; default ~/.ssh/config. */
  sshConfig?: string;
  /** The proposed app to take, by name, instead of asking. */
  app?: string;
  /** The haproxy.cfg to read, instead of the one the running HAProxy loads. */
  haproxyConfig?: string;
  /** Where the file will be written: relative paths in it are the reader's. */
  file: string;
  signal?: AbortSignal;
  progress?: (line: string) => void;
}

export interface InitResult {
  yaml: string;
  app: string;
  /** What was read and how, one line each, for the person to check. */
  summary: string[];
}

const SLOTS: readonly SlotName[] = ['blue', 'green'];

/**
 * Reads the load balancer's haproxy.cfg and each slot host's pm2 processes over SSH, changing
 * nothing, and returns a minimal bluegreen.yaml for the app the person picks: one that loads
 * as the CLI and the extension load it. The caller writes it (never over an existing file).
 */
export async function initConfig(runner: CommandRunner, chooser: InitChooser, o: InitOptions): Promise<InitResult> {
  const sshConfig = o.sshConfig ?? path.join(os.homedir(), '.ssh', 'config');
  const aliases = await sshAliases(sshConfig).catch(() => [] as string[]);
  o.progress?.(`reading the haproxy.cfg the running HAProxy on ${o.lb} loads…`);
  const found = await readLoadBalancerApps(runner, { ssh: o.lb }, aliases, {
    sshConfig,
    config: o.haproxyConfig,
    signal: o.signal,
    pickConfig: (configs) => chooser.pick(`${o.lb} runs ${configs.length} HAProxy configs. Which one routes the app?`, configs.map((c) => ({ label: c, value: c })), `--haproxy-config ${configs[0]}`),
  });
  const app = await chooseApp(found, chooser, o);
  const summary = [`${app.name}: ${app.frontend}${app.acl ? ` if ${app.acl}` : ''} → ${app.backends.blue} / ${app.backends.green} (${app.pairedBy}), read from ${o.lb}:${found.config} (${found.foundBy}); LIVE now: ${app.live.toUpperCase()}`];
  const notes: InitAnswers['notes'] = [];

  const facts = parseFacts((await runner.run({ ssh: o.lb }, remote.lbFacts(found.config), { signal: o.signal, timeoutMs: 20000 })).stdout);
  const reload = proposeReload({ systemd: facts.systemd, args: found.commandLine });
  summary.push(`reload: ${reload.command} (${reload.why})`);
  if (!reload.found) notes.push({ path: ['loadBalancer', 'reload'], text: 'not found: check it' });
  if (!facts.configWritable) notes.push({ path: ['loadBalancer', 'config'], text: `${o.lb} cannot write it as its ssh user: add "via: sudo -n" (allowed without a password)` });
  const stateFile = `${facts.stateFolder ?? '/var/lib/bluegreen'}/${app.name}.json`;
  if (!facts.stateFolder) notes.push({ path: ['loadBalancer', 'stateFile'], text: `no folder ${o.lb}'s ssh user can write: make this one writable, or name another` });

  const slots = {} as InitAnswers['slots'];
  for (const slot of SLOTS) {
    const servers: (InitServer & { pm2: string })[] = [];
    for (const [i, server] of app.servers[slot].entries()) {
      const host = sshOf(server, o.lb);
      if (host.note) notes.push({ path: ['slots', slot, ...(app.servers[slot].length > 1 ? ['servers', i] : []), 'ssh'], text: host.note });
      o.progress?.(`reading the pm2 processes on ${host.ssh} (${slot.toUpperCase()}, ${server.address}${server.port ? `:${server.port}` : ''})…`);
      const picked = await chooseProcess(runner, chooser, host.ssh, slot, server, o.signal);
      summary.push(`${slot.toUpperCase()}: ${host.ssh}, pm2 "${picked.pm2}" in ${picked.dir} (${picked.why})`);
      servers.push({ name: server.name, ssh: host.ssh, url: urlOf(server), dir: picked.dir, pm2: picked.pm2 });
    }
    if (!servers.length) throw new BlueGreenError('refused', `${app.backends[slot]} has no server line: a slot needs at least one server`);
    slots[slot] = { backend: app.backends[slot], pm2: servers[0].pm2, servers };
    if (servers.some((s) => s.pm2 !== servers[0].pm2)) throw new BlueGreenError('refused', `${slot.toUpperCase()}'s servers run it under different pm2 names (${servers.map((s) => s.pm2).join(', ')}): one name per slot is what the tool restarts`);
  }

  const answers: InitAnswers = {
    ...(o.sshConfig && path.resolve(o.sshConfig) !== path.join(os.homedir(), '.ssh', 'config') ? { sshConfig: path.resolve(o.sshConfig) } : {}),
    name: app.name,
    ...(app.healthPath ? { healthPath: app.healthPath } : {}),
    loadBalancer: {
      ssh: o.lb,
      config: found.config,
      frontend: app.frontend,
      ...(app.acl ? { acl: app.acl } : {}),
      reload: reload.command,
      stateFile,
      ...(found.statsSocket ? { statsSocket: found.statsSocket } : {}),
      ...(masterSocketOf(found.commandLine) ? { masterSocket: masterSocketOf(found.commandLine) } : {}),
    },
    slots,
    header: [
      `Written by \`bluegreen init\` from ${o.lb}:${found.config}. Every key: docs/config.md.`,
      'Check it with `bluegreen status`, then `bluegreen doctor`. Nothing on any host was changed.',
    ],
    notes,
  };
  const yaml = initYaml(answers);
  try {
    parseConfig(yaml, path.resolve(o.file));
  } catch (e) {
    throw new BlueGreenError('refused', `what was read does not make a valid ${path.basename(o.file)}, so nothing was written:\n${errorMessage(e)}`, undefined, { cause: e });
  }
  return { yaml, app: app.name, summary };
}

type FoundApp = LoadBalancerApps['apps'][number];

async function chooseApp(found: LoadBalancerApps, chooser: InitChooser, o: InitOptions): Promise<FoundApp> {
  const names = found.apps.map((a) => a.name);
  if (!found.apps.length) {
    const why = [...found.unpaired, ...found.unreadable.map((f) => `${f}: not readable as ${o.lb}'s ssh user`)];
    throw new BlueGreenError('refused', `no app in ${o.lb}:${found.config}: an app is a routing rule (default_backend, or use_backend … if ACL) to one of two backends that look like two slots${why.length ? `. ${why.join('; ')}` : ''}`);
  }
  if (o.app !== undefined) {
    const app = found.apps.find((a) => a.name === o.app);
    if (!app) throw new BlueGreenError('usage', `${o.lb}:${found.config} has no app "${o.app}"; it has ${names.join(', ')}`);
    return app;
  }
  if (found.apps.length === 1) return found.apps[0];
  return chooser.pick(
    `${found.config} on ${o.lb} routes ${found.apps.length} apps. Which one?`,
    found.apps.map((a) => ({ label: a.name, detail: `${a.frontend}${a.acl ? ` if ${a.acl}` : ''} → ${a.backends.blue} / ${a.backends.green}, LIVE ${a.live.toUpperCase()}`, value: a })),
    `--app ${names[0]}`,
  );
}

/** The host to ssh to for a server: the alias whose HostName it is; else the LB itself for a loopback address; else the address. */
function sshOf(server: MatchedServer, lb: string): { ssh: string; note?: string } {
  if (server.aliases.length) return { ssh: server.aliases[0], ...(server.aliases.length > 1 ? { note: `also ${server.aliases.slice(1).join(', ')}` } : {}) };
  if (/^(127\.|::1$|localhost$)/.test(server.address)) return { ssh: lb, note: 'HAProxy reaches it on loopback: it runs on the load balancer' };
  const address = server.address.includes(':') ? `[${server.address}]` : server.address;
  return { ssh: address, note: `no ssh_config alias has HostName ${server.address}: add one, or write user@${address}` };
}

function urlOf(server: MatchedServer): string {
  const host = server.address.includes(':') ? `[${server.address}]` : server.address;
  return `http://${host}:${server.port ?? 80}`;
}

/** The pm2 process behind a backend's server: by its PORT, else the one named for the slot, else the only one, else asked. */
async function chooseProcess(runner: CommandRunner, chooser: InitChooser, ssh: string, slot: SlotName, server: MatchedServer, signal?: AbortSignal): Promise<{ pm2: string; dir: string; why: string }> {
  const listed = await runner.run({ ssh }, 'pm2 jlist', { signal, timeoutMs: 30000 });
  const processes = listed.code === 0 ? parsePm2Processes(listed.stdout) : [];
  let picked: { process: Pm2ProcessInfo; why: string } | undefined;
  const byPort = processes.filter((p) => server.port !== undefined && p.port === server.port);
  const bySlot = processes.filter((p) => p.name.toLowerCase().includes(slot));
  if (byPort.length === 1) picked = { process: byPort[0], why: `its PORT is ${server.port}, the server line's` };
  else if (bySlot.length === 1) picked = { process: bySlot[0], why: `the one named for ${slot}` };
  else if (processes.length === 1) picked = { process: processes[0], why: 'the only pm2 process there' };
  else if (processes.length) {
    const process = await chooser.pick(
      `Which pm2 process on ${ssh} serves ${slot.toUpperCase()} (${server.address}:${server.port ?? 80})?`,
      processes.map((p) => ({ label: p.name, detail: [p.cwd, p.port && `PORT ${p.port}`, p.status].filter(Boolean).join(' · '), value: p })),
    );
    picked = { process, why: 'picked' };
  }
  if (!picked) {
    const why = listed.code === 127 ? 'pm2 is not found in the shell the tool uses there (`bluegreen doctor` says why)' : listed.code === 0 ? 'pm2 runs no process there' : `pm2 jlist exited ${listed.code}`;
    const pm2 = await chooser.ask(`${ssh}: ${why}. The pm2 name ${slot.toUpperCase()} runs under:`, (v) => (/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'letters, digits, _ . - only'));
    const dir = await chooser.ask(`The app's git checkout on ${ssh}:`, (v) => (/^\/[A-Za-z0-9_./@+-]*$/.test(v) ? undefined : 'an absolute path'));
    return { pm2, dir, why: 'typed' };
  }
  if (!picked.process.cwd) {
    const dir = await chooser.ask(`pm2 does not say where "${picked.process.name}" on ${ssh} runs. The app's git checkout:`, (v) => (/^\/[A-Za-z0-9_./@+-]*$/.test(v) ? undefined : 'an absolute path'));
    return { pm2: picked.process.name, dir, why: picked.why };
  }
  return { pm2: picked.process.name, dir: await checkoutOf(runner, ssh, picked.process.cwd, signal), why: picked.why };
}

/** The git checkout a process's folder is in (pm2 may start it in a subfolder); the folder itself when it is in none. */
async function checkoutOf(runner: CommandRunner, ssh: string, cwd: string, signal?: AbortSignal): Promise<string> {
  const r = await runner.run({ ssh }, `cd -- ${shQuote(cwd)} && git rev-parse --show-toplevel`, { signal, timeoutMs: 20000 });
  const top = r.stdout.trim();
  return r.code === 0 && top.startsWith('/') && !top.includes('\n') ? top : cwd;
}

function parseFacts(output: string): { systemd: boolean; configWritable: boolean; stateFolder?: string } {
  const lines = output.split('\n');
  const folder = lines.find((l) => l.startsWith('state-folder '))?.slice('state-folder '.length);
  return {
    systemd: lines.includes('systemd yes'),
    configWritable: lines.includes('config-writable yes'),
    ...(folder && /^\/[A-Za-z0-9_./@+-]*$/.test(folder) ? { stateFolder: folder } : {}),
  };
}
