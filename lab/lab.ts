import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { APP_PORT, FRONTEND_PORT, haproxyConfig, labConfigYaml, SHARED_FRONTEND_PORT, WEBHOOK_PORT } from './labFiles';
import { withDevelop } from './staging';
import { DEFAULT_TOPOLOGY, LabApp, LabHost, LabLoadBalancer, LabTopology, plannedApps, plannedHosts, pm2Name, STAGING_HOST } from './topology';
import { canConnect, exec, isAlive, startDetached, stopPids, waitFor } from './processes';

export type LabHostName = 'lb' | 'blue' | 'green';
export type { LabHost } from './topology';

/** What `up` started and wrote; saved as DIR/lab.json so `down` stops exactly that. */
export interface LabInfo {
  dir: string;
  configFile: string;
  sshConfig: string;
  knownHosts: string;
  clientKey: string;
  origin: string;
  /** Every host by name: lb, blue and green always (the first LB and the first app's first servers). */
  hosts: Record<LabHostName, LabHost> & Record<string, LabHost>;
  topology: LabTopology;
  /** The first load balancer's: what a one-LB lab has always had. */
  frontendUrl: string;
  sharedFrontendUrl: string;
  haproxyConfig: string;
  /** The first app's state file on the first load balancer. */
  stateFile: string;
  adminSocket: string;
  /** HAProxy's master CLI (-S): its processes, old ones draining included. */
  masterSocket: string;
  reloadCommand: string;
  loadBalancers: LabLoadBalancer[];
  apps: LabApp[];
  appPort: number;
  /** `--staging`: the webhook receiver (lab/webhookReceiver.ts): its address (add /ok, /fail or /hang) and the file of what it got. */
  webhooks?: { url: string; log: string };
  pids: { sshd: Record<string, number>; haproxy?: number; haproxies: Record<string, number>; pm2: Record<string, number[]>; webhooks?: number };
}

export const DEFAULT_LAB_DIR = path.join(os.tmpdir(), 'bluegreen-lab');
/** Each lab host gets its own loopback address in this /24; a second lab needs another one. */
export const DEFAULT_SUBNET = '127.77.0';
const SSH_PORT = 2222;
/** The sample app's releases, committed and tagged in the lab's origin repository. */
const RELEASES = ['1.0.0', '1.1.0', '1.2.0'];
const INITIAL_RELEASE = '1.1.0';

function projectRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'blue-green') return dir;
    dir = path.dirname(dir);
  }
  throw new Error('lab: cannot find the blue-green project folder');
}

async function which(cmd: string): Promise<boolean> {
  return exec('sh', ['-c', `command -v ${cmd}`]).then(() => true, () => false);
}

async function ensureSystemPackages(): Promise<void> {
  const needed: string[] = [];
  if (!existsSync('/usr/sbin/sshd')) needed.push('openssh-server');
  if (!(await which('haproxy')) && !existsSync('/usr/sbin/haproxy')) needed.push('haproxy');
  if (!(await which('ssh-keygen'))) needed.push('openssh-client');
  if (!(await which('git'))) needed.push('git');
  // The LB host talks to HAProxy's stats socket with socat; GREEN (no TCP forwarding) checks health with curl.
  if (!(await which('socat'))) needed.push('socat');
  if (!(await which('curl'))) needed.push('curl');
  if (!needed.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`lab: missing system packages; run: sudo apt-get install -y ${needed.join(' ')}`);
  }
  console.error(`lab: installing ${needed.join(', ')} with apt-get…`);
  await exec('apt-get', ['update', '-qq'], { maxBuffer: 64 << 20 });
  await exec('apt-get', ['install', '-y', '-qq', ...needed], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 << 20 });
}

function infoFile(dir: string): string {
  return path.join(dir, 'lab.json');
}

export function readLabInfo(dir = DEFAULT_LAB_DIR): LabInfo | undefined {
  try {
    return JSON.parse(readFileSync(infoFile(dir), 'utf8')) as LabInfo;
  } catch {
    return undefined;
  }
}

async function saveInfo(info: LabInfo): Promise<void> {
  await writeFile(infoFile(info.dir), JSON.stringify(info, null, 2) + '\n');
}

function allPids(info: LabInfo): (number | undefined)[] {
  return [...Object.values(info.pids.sshd), ...Object.values(info.pids.haproxies ?? {}), info.pids.haproxy, ...Object.values(info.pids.pm2).flat(), info.pids.webhooks];
}

async function isRunning(info: LabInfo, topology: LabTopology): Promise<boolean> {
  if (!info.loadBalancers || JSON.stringify(info.topology) !== JSON.stringify(topology)) return false;
  if (allPids(info).some((p) => p !== undefined && !isAlive(p))) return false;
  const hosts = Object.values(info.hosts);
  const frontends = info.loadBalancers.map((lb) => info.hosts[lb.host]);
  const checks = await Promise.all([...hosts.map((h) => canConnect(h.address, h.sshPort)), ...frontends.map((h) => canConnect(h.address, FRONTEND_PORT))]);
  return checks.every(Boolean);
}

/** Another lab on the same addresses would answer in this one's place (with other host keys). */
async function refuseIfSubnetTaken(subnet: string, dir: string): Promise<void> {
  const endpoints: [string, number][] = [...[1, 2, 3].flatMap((n) => [SSH_PORT, APP_PORT].map((port): [string, number] => [`${subnet}.${n}`, port])), [`${subnet}.1`, FRONTEND_PORT]];
  const open = await Promise.all(endpoints.map(([address, port]) => canConnect(address, port)));
  const taken = endpoints.filter((_, i) => open[i]).map(([address, port]) => `${address}:${port}`);
  if (taken.length) {
    throw new Error(`lab: ${taken.join(', ')} already answer${taken.length === 1 ? 's' : ''}, so another lab is probably running on ${subnet}.x. Stop it (npm run lab -- down --dir <its folder>) or start this one (${dir}) on another subnet.`);
  }
}

/** Starts the lab (or finds it running) and returns what a test or the demo needs. */
export async function labUp(dir = DEFAULT_LAB_DIR, subnet = DEFAULT_SUBNET, topology: LabTopology = DEFAULT_TOPOLOGY): Promise<LabInfo> {
  dir = path.resolve(dir);
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(subnet)) throw new Error(`lab: subnet must look like 127.77.0, not ${subnet}`);
  const existing = readLabInfo(dir);
  if (existing && (await isRunning(existing, topology))) return existing;
  if (existing) await labDown(dir);
  await refuseIfSubnetTaken(subnet, dir);
  await ensureSystemPackages();

  const root = projectRoot();
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'client'), { recursive: true });
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  const user = os.userInfo().username;
  const hosts = Object.fromEntries(plannedHosts(topology).map((name, i): [string, LabHost] => [name, { name, alias: `lab-${name}`, address: `${subnet}.${i + 1}`, sshPort: SSH_PORT, home: path.join(dir, 'hosts', name) }])) as LabInfo['hosts'];
  const loadBalancers = Array.from({ length: topology.lbs }, (_, i) => loadBalancerOn(hosts[i === 0 ? 'lb' : `lb${i + 1}`]));
  const apps = plannedApps(topology, loadBalancers.map((lb) => hosts[lb.host].home));
  const first = loadBalancers[0];
  const info: LabInfo = {
    dir,
    configFile: path.join(dir, 'bluegreen.yaml'),
    sshConfig: path.join(dir, 'ssh_config'),
    knownHosts: path.join(dir, 'known_hosts'),
    clientKey: path.join(dir, 'client', 'id_ed25519'),
    origin: path.join(dir, 'origin.git'),
    hosts,
    topology,
    frontendUrl: first.frontendUrl,
    sharedFrontendUrl: first.sharedFrontendUrl,
    haproxyConfig: first.haproxyConfig,
    stateFile: apps[0].stateFiles[0],
    adminSocket: first.adminSocket,
    masterSocket: first.masterSocket,
    reloadCommand: first.reloadCommand,
    loadBalancers,
    apps,
    appPort: APP_PORT,
    pids: { sshd: {}, haproxies: {}, pm2: {} },
  };
  await saveInfo(info);

  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bluegreen-lab', '-f', info.clientKey]);
  await copyFile(`${info.clientKey}.pub`, path.join(dir, 'client', 'authorized_keys'));
  // pm2 and node on every lab host's PATH, as on a real app server.
  await symlink(require.resolve('pm2/bin/pm2', { paths: [root] }), path.join(dir, 'bin', 'pm2'));

  await createOrigin(info, path.join(root, 'lab', 'app'));
  const sshConfig: string[] = ['# Written by the Blue-Green lab. Use: ssh -F this-file lab-blue', ''];
  // Each host's sshd starts on its own; several at once when the lab has many.
  const knownHosts = await inBatches(Object.values(hosts), 8, async (h) => {
    await mkdir(h.home, { recursive: true });
    return startSshd(info, h);
  });
  for (const h of Object.values(hosts)) {
    sshConfig.push(`Host ${h.alias}`, `  HostName ${h.address}`, `  Port ${h.sshPort}`, `  User ${user}`, `  IdentityFile ${info.clientKey}`, '  IdentitiesOnly yes', '  IdentityAgent none', `  UserKnownHostsFile ${info.knownHosts}`, '  StrictHostKeyChecking yes', '');
  }
  await writeFile(info.knownHosts, knownHosts.join(''));
  await writeFile(info.sshConfig, sshConfig.join('\n'));
  await saveInfo(info);

  const servers = apps.flatMap((app) => (['blue', 'green'] as const).flatMap((slot) => app.slots[slot].map((host): { host: string; run: ServerRun } => ({ host, run: { pm2: pm2Name(app.name, slot), env: slot, branch: 'main', at: `v${INITIAL_RELEASE}` } }))));
  // Staging follows develop, which the origin has only in a lab with staging; it starts a release behind develop's tip.
  if (topology.staging) servers.push({ host: STAGING_HOST, run: await withDevelop(info, apps[0].name) });
  await inBatches(servers, 4, (s) => startServer(info, s.host, s.run));
  await saveInfo(info);
  for (const lb of loadBalancers) await startHaproxy(info, lb);
  await saveInfo(info);
  if (topology.staging) await startWebhookReceiver(info, root, subnet);
  await saveInfo(info);
  await writeFile(info.configFile, labConfigYaml(info));
  if (topology.apps === 1) await writeFile(path.join(dir, 'bluegreen.shared.yaml'), labConfigYaml(info, 'shared'));
  return info;
}

/** Records what notify: posts (lab/webhookReceiver.ts), in a process of its own: the CLI may be run synchronously beside it. */
async function startWebhookReceiver(info: LabInfo, root: string, subnet: string): Promise<void> {
  const address = `${subnet}.1`;
  const log = path.join(info.dir, 'webhooks.jsonl');
  await writeFile(log, '');
  const child = startDetached(process.execPath, [path.join(root, 'out', 'webhook-receiver.js'), address, String(WEBHOOK_PORT), log], path.join(info.dir, 'webhooks.log'));
  info.pids.webhooks = child.pid!;
  info.webhooks = { url: `http://${address}:${WEBHOOK_PORT}`, log };
  await waitFor(`the webhook receiver on ${address}:${WEBHOOK_PORT} (see ${info.dir}/webhooks.log)`, () => canConnect(address, WEBHOOK_PORT));
}

function loadBalancerOn(h: LabHost): LabLoadBalancer {
  const pidFile = path.join(h.home, 'haproxy.pid');
  return {
    host: h.name,
    haproxyConfig: path.join(h.home, 'haproxy.cfg'),
    adminSocket: path.join(h.home, 'admin.sock'),
    masterSocket: path.join(h.home, 'master.sock'),
    pidFile,
    reloadCommand: `kill -USR2 "$(cat ${pidFile})"`,
    frontendUrl: `http://${h.address}:${FRONTEND_PORT}`,
    sharedFrontendUrl: `http://${h.address}:${SHARED_FRONTEND_PORT}`,
  };
}

/** Runs `f` on every item, `size` at a time, keeping the order of the results. */
async function inBatches<T, R>(items: readonly T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return results;
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Lab', GIT_AUTHOR_EMAIL: 'lab@bluegreen.invalid', GIT_COMMITTER_NAME: 'Lab', GIT_COMMITTER_EMAIL: 'lab@bluegreen.invalid' };
  return (await exec('git', args, { cwd, env })).stdout.trim();
}

async function createOrigin(info: LabInfo, appSource: string): Promise<void> {
  const work = path.join(info.dir, 'origin-work');
  await mkdir(work, { recursive: true });
  await git(work, 'init', '-q', '-b', 'main');
  for (const f of ['server.js', 'build.js', 'package-lock.json']) await copyFile(path.join(appSource, f), path.join(work, f));
  await copyFile(path.join(appSource, 'gitignore.txt'), path.join(work, '.gitignore'));
  const pkg = JSON.parse(await readFile(path.join(appSource, 'package.json'), 'utf8')) as { version: string };
  const lock = JSON.parse(await readFile(path.join(appSource, 'package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version: string }> };
  for (const version of RELEASES) {
    pkg.version = lock.version = lock.packages[''].version = version;
    await writeFile(path.join(work, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    await writeFile(path.join(work, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
    await writeFile(path.join(work, 'CHANGES.md'), RELEASES.slice(0, RELEASES.indexOf(version) + 1).map((v) => `- ${v}`).join('\n') + '\n');
    await git(work, 'add', '-A');
    await git(work, 'commit', '-q', '-m', `Release v${version}`);
    await git(work, 'tag', `v${version}`);
  }
  await git(info.dir, 'clone', '-q', '--bare', work, info.origin);
  await rm(work, { recursive: true, force: true });
}

async function startSshd(info: LabInfo, h: LabHost): Promise<string> {
  const key = path.join(h.home, 'ssh_host_ed25519_key');
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', h.alias, '-f', key]);
  const config = path.join(h.home, 'sshd_config');
  // SHLVL=1: bash, started by sshd for every session, then skips the lab user's ~/.bashrc (bash
  // reads it for ssh sessions only at level 1). The lab's hosts share this machine's account; its
  // interactive setup (a pyenv init on ours: ~200 ms and a dozen processes each time) is not a server's.
  const env = ['SHLVL=1', `PATH=${path.join(info.dir, 'bin')}:${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, `PM2_HOME=${path.join(h.home, 'pm2')}`, `BLUEGREEN_LAB_HOST=${h.name}`];
  await writeFile(
    config,
    [
      `ListenAddress ${h.address}:${h.sshPort}`,
      `HostKey ${key}`,
      `PidFile ${path.join(h.home, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(info.dir, 'client', 'authorized_keys')}`,
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'AllowAgentForwarding no',
      'MaxStartups 200',
      'MaxSessions 200',
      // GREEN forwards nothing, so a test can tell a jump through it from one through the LB,
      // and the fallbacks (HTTP from its shell, socat for Unix sockets) get exercised.
      `AllowTcpForwarding ${h.name === 'green' ? 'no' : 'yes'}`,
      `AllowStreamLocalForwarding ${h.name === 'green' ? 'no' : 'yes'}`,
      `SetEnv ${env.join(' ')}`,
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true });
  const child = startDetached('/usr/sbin/sshd', ['-D', '-e', '-f', config], path.join(h.home, 'sshd.log'));
  info.pids.sshd[h.name] = child.pid!;
  await waitFor(`sshd on ${h.address}:${h.sshPort} (see ${h.home}/sshd.log)`, () => canConnect(h.address, h.sshPort));
  const pub = (await readFile(`${key}.pub`, 'utf8')).trim().split(/\s+/);
  return `[${h.address}]:${h.sshPort} ${pub[0]} ${pub[1]}\n`;
}

function pm2Env(info: LabInfo, host: string): NodeJS.ProcessEnv {
  return { ...process.env, PM2_HOME: path.join(info.hosts[host].home, 'pm2'), PATH: `${path.join(info.dir, 'bin')}:${process.env.PATH ?? ''}` };
}

/** What a server runs: its pm2 process, its APP_ENV, and the branch and commit checked out. */
export interface ServerRun {
  pm2: string;
  env: string;
  branch: string;
  at: string;
}

async function startServer(info: LabInfo, hostName: string, run: ServerRun): Promise<void> {
  const h = info.hosts[hostName];
  const app = path.join(h.home, 'app');
  await git(info.dir, 'clone', '-q', info.origin, app);
  await git(app, 'checkout', '-q', '-B', run.branch, run.at);
  await exec('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  await exec('npm', ['run', 'build', '--silent'], { cwd: app });
  const ecosystem = path.join(h.home, 'ecosystem.config.js');
  await writeFile(
    ecosystem,
    `module.exports = { apps: [${JSON.stringify({
      name: run.pm2,
      script: 'server.js',
      cwd: app,
      env: { HOST: h.address, PORT: String(APP_PORT), APP_ENV: run.env, SERVER_NAME: hostName, UNHEALTHY_FILE: path.join(h.home, 'unhealthy'), FAILING_FILE: path.join(h.home, 'failing') },
    })}] };\n`,
  );
  const pm2 = path.join(info.dir, 'bin', 'pm2');
  await exec(pm2, ['start', ecosystem, '--silent'], { env: pm2Env(info, hostName) });
  await waitFor(`the ${hostName} app on ${h.address}:${APP_PORT}`, () => canConnect(h.address, APP_PORT));
  info.pids.pm2[hostName] = await pm2Pids(info, hostName);
}

async function pm2Pids(info: LabInfo, host: string): Promise<number[]> {
  const pm2Home = path.join(info.hosts[host].home, 'pm2');
  const daemon = Number((await readFile(path.join(pm2Home, 'pm2.pid'), 'utf8').catch(() => '')).trim());
  const { stdout } = await exec(path.join(info.dir, 'bin', 'pm2'), ['jlist'], { env: pm2Env(info, host), maxBuffer: 16 << 20 });
  const apps = (JSON.parse(stdout) as { pid: number }[]).map((a) => a.pid).filter((p) => p > 0);
  return [daemon, ...apps].filter((p) => Number.isInteger(p) && p > 0);
}

async function startHaproxy(info: LabInfo, lb: LabLoadBalancer): Promise<void> {
  await writeFile(lb.haproxyConfig, haproxyConfig(info, lb));
  const lbIndex = info.loadBalancers.indexOf(lb);
  for (const app of info.apps) {
    const stateFile = app.stateFiles[lbIndex];
    await mkdir(path.dirname(stateFile), { recursive: true });
    await writeFile(stateFile, JSON.stringify({ prod: 'blue', live: 'blue', standby: 'green', lastSwitch: new Date().toISOString(), switchCount: 0 }, null, 2) + '\n');
  }
  await exec('haproxy', ['-c', '-q', '-f', lb.haproxyConfig]);
  await exec('haproxy', ['-W', '-D', '-p', lb.pidFile, '-f', lb.haproxyConfig, '-S', `${lb.masterSocket},mode,600`]);
  const address = info.hosts[lb.host].address;
  await waitFor(`haproxy on ${address}`, async () => existsSync(lb.pidFile) && canConnect(address, FRONTEND_PORT));
  const pid = Number((await readFile(lb.pidFile, 'utf8')).trim().split('\n')[0]);
  info.pids.haproxies[lb.host] = pid;
  if (lbIndex === 0) info.pids.haproxy = pid;
}

/** A workspace folder holding a copy of the lab's bluegreen.yaml, as a user's repo would. */
export function labWorkspace(info: LabInfo, parent: string): string {
  const folder = path.join(parent, 'workspace');
  mkdirSync(folder, { recursive: true });
  copyFileSync(info.configFile, path.join(folder, 'bluegreen.yaml'));
  return folder;
}

/** Stops everything `up` started, by pid, and removes nothing else. */
export async function labDown(dir = DEFAULT_LAB_DIR): Promise<void> {
  dir = path.resolve(dir);
  const info = readLabInfo(dir);
  if (!info) return;
  for (const host of Object.keys(info.pids.pm2)) {
    if (!existsSync(path.join(info.hosts[host].home, 'pm2', 'pm2.pid'))) continue;
    // pm2 kill stops the apps it restarted since `up` too, whose pids lab.json cannot know.
    await exec(path.join(dir, 'bin', 'pm2'), ['kill', '--silent'], { env: pm2Env(info, host), timeout: 20000 }).catch(() => undefined);
  }
  await stopPids(allPids(info).filter((p): p is number => p !== undefined));
  for (const lb of info.loadBalancers ?? []) {
    await rm(lb.adminSocket, { force: true });
    await rm(lb.masterSocket, { force: true });
  }
  await rm(infoFile(dir), { force: true });
}
