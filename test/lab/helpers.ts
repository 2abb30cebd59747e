import { createHash } from 'node:crypto';
import { REFUSE_PROMPTS, SshPrompts } from '../../src/core/ssh/runner';
import { Ssh2Runner, Ssh2RunnerOptions } from '../../src/core/ssh/ssh2Runner';
import { lab } from './setup';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { generateLoad } from '../../lab/load';
import { labDown, labUp } from '../../lab/lab';
import { waitFor } from '../../lab/processes';
import { parseConfig } from '../../src/core/config/load';
import { Config } from '../../src/core/config/types';
export function labRunner(overrides: Partial<Ssh2RunnerOptions> & { prompts?: SshPrompts } = {}): Ssh2Runner {
  return new Ssh2Runner({
    sshConfigFile: lab().sshConfig,
    connectTimeoutMs: 5000,
    keepaliveIntervalMs: 2000,
    commandTimeoutMs: 30000,
    prompts: REFUSE_PROMPTS,
    ...overrides,
  });
}

export const BLUE = { ssh: 'lab-blue' } as const;
export const LB = { ssh: 'lab-lb' } as const;


/** The lab's config, optionally edited as text first (both shapes: bluegreen.yaml, bluegreen.shared.yaml). */
export function labConfig(shape: 'default' | 'shared' = 'default', edit: (yaml: string) => string = (y) => y): Config {
  const file = shape === 'shared' ? path.join(lab().dir, 'bluegreen.shared.yaml') : lab().configFile;
  const original = readFileSync(file, 'utf8');
  const text = edit(original);
  if (text === original) return parseConfig(text, file);
  // An edited config is a file of its own beside the lab's, as a person's would be: an approval
  // is bound to the text of the file the config came from.
  const edited = path.join(lab().dir, `bluegreen.edited-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.yaml`);
  writeFileSync(edited, text);
  return parseConfig(text, edited);
}

export function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Record<string, unknown> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { raw: data } });
          }
        });
      })
      .on('error', reject);
  });
}

/** Which slot answers through a frontend, judged by the environment the app reports. */
export async function servedBy(frontend: 'default' | 'shared' = 'default'): Promise<string> {
  const url = frontend === 'shared' ? lab().sharedFrontendUrl : lab().frontendUrl;
  const r = await getJson(`${url}/api/health`, frontend === 'shared' ? { host: 'demo.lab' } : {});
  return String(r.body.environment);
}

/** The pid of the HAProxy worker that answers the admin socket now. */
export function workerPid(): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(lab().adminSocket);
    let answer = '';
    socket.on('connect', () => socket.end('show info\n'));
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => resolve(/^Pid: (\d+)/m.exec(answer)?.[1] ?? ''));
    socket.on('error', () => resolve(''));
  });
}

/**
 * Reloads HAProxy and waits until a new worker answers: the reload signal returns at once, and
 * HAProxy's master does not take one sent while it is still busy with the last (it is sent again).
 */
export async function reloadHaproxy(): Promise<void> {
  const before = await workerPid();
  for (const until = Date.now() + 15000; Date.now() < until; ) {
    execFileSync('sh', ['-c', lab().reloadCommand]);
    for (const resend = Date.now() + 2000; Date.now() < resend; await new Promise((r) => setTimeout(r, 50))) {
      const now = await workerPid();
      if (now && now !== before) return;
    }
  }
  throw new Error('HAProxy did not start a new worker within 15 s of a reload');
}

/**
 * Reloads HAProxy and waits until the frontend answers again: a request sent while the old
 * worker closes its listener can be refused, and the next test's first request must not be.
 */
export async function reloadHaproxyUntilServing(): Promise<void> {
  await reloadHaproxy();
  await waitFor('HAProxy to serve through the frontend after a reload', () => served().then(() => true, () => false), 10000);
}

/** Waits until a slot's app answers its health check (pm2 start returns before the app listens). */
export async function untilSlotAnswers(slot: 'blue' | 'green'): Promise<void> {
  const url = `http://${lab().hosts[slot].address}:${lab().appPort}/api/health`;
  await waitFor(`${slot}'s app to answer ${url}`, () => getJson(url).then((r) => r.status === 200, () => false), 10000);
}

/** "blue 1.1.0": which slot answers through the default frontend, and its version. */
export async function served(): Promise<string> {
  const r = await getJson(`${lab().frontendUrl}/api/health`);
  return `${String(r.body.environment)} ${String(r.body.version)}`;
}

/** Rewrites haproxy.cfg by hand, as an operator would, and reloads HAProxy. */
export async function routeByHand(slot: 'blue' | 'green', frontend: 'default' | 'shared' = 'default'): Promise<void> {
  const file = lab().haproxyConfig;
  const text = readFileSync(file, 'utf8');
  const pattern = frontend === 'shared' ? /use_backend demo_shared_(blue|green) if is_demo/ : /default_backend demo_(blue|green)/;
  writeFileSync(file, text.replace(pattern, (m) => m.replace(/(blue|green)( |$)/, `${slot}$2`)));
  await reloadHaproxy();
  const deadline = Date.now() + 10000;
  while ((await servedBy(frontend)) !== slot) {
    if (Date.now() > deadline) throw new Error(`HAProxy did not route ${frontend} to ${slot} after the reload`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function pm2OnLab(slot: 'blue' | 'green', ...args: string[]): string {
  const env = { ...process.env, PM2_HOME: path.join(lab().hosts[slot].home, 'pm2') };
  return execFileSync(path.join(lab().dir, 'bin', 'pm2'), args, { env }).toString();
}

/** Publishes a new release of the sample app to the lab's origin (commit, tag, push), with `files` (path → text) added. */
export function publishRelease(version: string, files: Record<string, string> = {}): string {
  const work = mkdtempSync(path.join(os.tmpdir(), 'bg-release-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@bluegreen.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@bluegreen.invalid' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env }).toString().trim();
  execFileSync('git', ['clone', '-q', lab().origin, work], { env });
  const pkgFile = path.join(work, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  pkg.version = version;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), text);
  }
  git('add', '-A');
  git('commit', '-q', '-m', `Release v${version}`);
  git('tag', `v${version}`);
  git('push', '-q', 'origin', 'main', `v${version}`);
  return git('rev-parse', 'HEAD');
}

export function pm2Info(slot: 'blue' | 'green'): { pid: number; restarts: number } {
  const list = JSON.parse(pm2OnLab(slot, 'jlist')) as { name: string; pid: number; pm2_env: { restart_time: number } }[];
  const p = list.find((x) => x.name === `demo-${slot}`)!;
  return { pid: p.pid, restarts: p.pm2_env.restart_time };
}

export function readState(): Record<string, unknown> {
  return JSON.parse(readFileSync(lab().stateFile, 'utf8')) as Record<string, unknown>;
}

/** Sends 300 requests/s through the frontend on keep-alive connections until stopped; counts failures. */
export function requestLoop(url: string, connections = 4): { stop(): Promise<{ sent: number; failed: number }> } {
  const load = generateLoad(url, 300, connections);
  return {
    async stop() {
      const samples = await load.stop();
      return { sent: samples.length, failed: samples.filter((x) => !x.ok).length };
    },
  };
}

/** For suites that move the lab far from its starting state: leave a fresh one behind. */
export async function resetLab(topology = lab().topology): Promise<void> {
  const dir = lab().dir;
  // On the subnet it had: a lab started elsewhere (BLUEGREEN_LAB_DIR) stays out of the default one.
  const subnet = lab().hosts.lb.address.split('.').slice(0, 3).join('.');
  await labDown(dir);
  Object.assign(lab(), await labUp(dir, subnet, topology));
}

/** The invariants every row ends with (RELIABILITY.md, top). */
export async function assertInvariants(liveExpected: 'blue' | 'green', stateBefore?: string): Promise<void> {
  const r = await getJson(`${lab().frontendUrl}/api/health`);
  assert.equal(r.status, 200, 'requests through the frontend fail');
  assert.equal(r.body.environment, liveExpected, 'LIVE changed');
  // Unchanged when the row must not write it; otherwise it parses and agrees with HAProxy.
  if (stateBefore !== undefined) assert.equal(readFileSync(lab().stateFile, 'utf8'), stateBefore, 'the state file changed');
  else assert.equal(readState().live, liveExpected, 'the state file disagrees with HAProxy');
  const lock = execFileSync('sh', ['-c', `flock -n ${lab().stateFile}.lock true && echo free || echo held`]).toString().trim();
  assert.equal(lock, 'free', 'a lock was left behind');
}
