// `npm run soak -- [--cycles N] [--seed S] [--save]`: deploy → release → (sometimes rollback) →
// sync, over and over, against a lab of its own under a steady keep-alive load, with a fault
// injected at a random moment of a random share of the operations; after every operation the
// invariants are checked. Prints a summary (with --save also to bench/soak.md); exits 1 when
// an invariant broke. The seed makes a failing run reproducible.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FaultProxy } from '../lab/faultProxy';
import { labDown, labUp, LabInfo } from '../lab/lab';
import { generateLoad, Sample } from '../lab/load';
import { PROJECT_ROOT } from '../lab/codeServer';
import { leftovers, lockIsFree, pm2State, routedSlot, stateFacts } from './invariants';
import { pick, seededRandom } from './random';

const SOAK_DIR = path.join(os.tmpdir(), 'bluegreen-lab-soak');
/** Its own addresses: a soak never meets the test suite's lab or the demo's. */
const SOAK_SUBNET = '127.79.0';
const PROXY_PORT = 2299;
const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const FAULT_SHARE = 0.35;
const OPERATION_TIMEOUT_MS = 120_000;
const LOAD_RATE = 200;

type Operation = 'deploy' | 'release' | 'rollback' | 'sync';
type Fault = 'kill' | 'reset' | 'blackhole' | 'reload-fails' | 'validate-rejects' | 'disk-full' | 'standby-unhealthy' | 'second-operator';
const FAULTS_FOR: Record<Operation, Fault[]> = {
  deploy: ['kill', 'reset', 'blackhole', 'standby-unhealthy', 'second-operator', 'disk-full'],
  release: ['kill', 'reset', 'blackhole', 'reload-fails', 'validate-rejects', 'disk-full', 'standby-unhealthy', 'second-operator'],
  rollback: ['kill', 'reset', 'blackhole', 'reload-fails', 'validate-rejects', 'disk-full', 'second-operator'],
  sync: ['kill', 'reset', 'blackhole', 'standby-unhealthy', 'second-operator'],
};

interface Outcome {
  op: Operation;
  fault?: Fault;
  code: number;
  tail: string;
}

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '20' }, seed: { type: 'string' }, save: { type: 'boolean', default: false } } });
const cycles = Number(values.cycles);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const random = seededRandom(seed);

function cli(workspace: string, ...args: string[]): { child: ChildProcess; done: Promise<{ code: number; tail: string }> } {
  const child = spawn(process.execPath, [CLI, ...args, '--yes'], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), OPERATION_TIMEOUT_MS);
  const done = new Promise<{ code: number; tail: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : -1), tail: out.trim().split('\n').slice(-3).join(' | ') });
    }),
  );
  return { child, done };
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const started = Date.now();
  console.log(`soak: ${cycles} cycles, seed ${seed} (npm run soak -- --cycles ${cycles} --seed ${seed} repeats it)`);
  await labDown(SOAK_DIR).catch(() => undefined);
  unmountLeftovers(SOAK_DIR);
  const lab = await labUp(SOAK_DIR, SOAK_SUBNET);
  const work = mkdtempSync(path.join(os.tmpdir(), 'bg-soak-'));
  const flags = path.join(work, 'flags');
  mkdirSync(flags);
  const proxies = await startProxies(lab, work);
  const stateDir = path.dirname(lab.stateFile);
  const diskFull = mountSmallDisk(stateDir);
  writeFileSync(path.join(work, 'bluegreen.yaml'), soakConfig(lab, work, flags));
  const load = generateLoad(`${lab.frontendUrl}/`, LOAD_RATE, 4);
  /** When each fault that fails requests on purpose (an unhealthy LIVE) was active. */
  const excused: { from: number; to: number }[] = [];
  const outcomes: Outcome[] = [];
  const problems: string[] = [];
  let reconciles = 0;
  let startSwitches = 0;
  const facts0 = stateFacts(lab);
  if ('switchCount' in facts0) startSwitches = facts0.switchCount;

  const faultNow = async (fault: Fault, child: ChildProcess): Promise<() => Promise<void>> => {
    const standby = routedSlot(lab) === 'blue' ? 'green' : 'blue';
    switch (fault) {
      case 'kill':
        child.kill('SIGKILL');
        return async () => undefined;
      case 'reset':
        pick(random, Object.values(proxies)).reset();
        return async () => undefined;
      case 'blackhole': {
        const proxy = pick(random, Object.values(proxies));
        proxy.mode = 'blackhole';
        await sleep(4000);
        proxy.mode = 'pass';
        return async () => undefined;
      }
      case 'reload-fails':
      case 'validate-rejects':
        writeFileSync(path.join(flags, fault), '');
        return async () => rmSync(path.join(flags, fault), { force: true });
      case 'disk-full':
        diskFull?.fill();
        return async () => diskFull?.empty();
      case 'standby-unhealthy': {
        const file = path.join(lab.hosts[standby].home, 'unhealthy');
        writeFileSync(file, '');
        const window = { from: Date.now(), to: Infinity };
        excused.push(window);
        return async () => {
          rmSync(file, { force: true });
          // HAProxy needs a few checks to see it up again.
          await sleep(3000);
          window.to = Date.now();
        };
      }
      case 'second-operator': {
        const otherOp = pick(random, ['release', 'deploy', 'sync'] as const);
        const other = cli(work, otherOp);
        return async () => {
          const r = await other.done;
          outcomes.push({ op: otherOp, fault: 'second-operator', code: r.code, tail: `the second operator: ${r.tail}` });
        };
      }
    }
  };

  const operate = async (op: Operation): Promise<void> => {
    let fault = random() < FAULT_SHARE ? pick(random, FAULTS_FOR[op].filter((f) => f !== 'disk-full' || diskFull)) : undefined;
    const live = routedSlot(lab);
    const livePm2 = live && pm2State(lab, live);
    const run = cli(work, op);
    let cleanup: (() => Promise<void>) | undefined;
    if (fault) {
      const finishedFirst = await Promise.race([sleep(Math.floor(random() * 3000)).then(() => false), run.done.then(() => true)]);
      // An operation over before its fault's moment ran without one.
      if (finishedFirst) fault = undefined;
      else cleanup = await faultNow(fault, run.child);
    }
    const r = await run.done;
    await cleanup?.();
    outcomes.push({ op, fault, code: r.code, tail: r.tail });
    const where = `cycle ${cycle}, ${op}${fault ? ` with ${fault}` : ''} (exit ${r.code}: ${r.tail})`;
    problems.push(...(await checkInvariants(where)));
    if ((op === 'deploy' || op === 'sync') && live && livePm2) {
      const after = pm2State(lab, live);
      if (routedSlot(lab) === live && (after?.pid !== livePm2.pid || after.restarts !== livePm2.restarts)) problems.push(`${where}: LIVE's pm2 process was restarted (${JSON.stringify(livePm2)} → ${JSON.stringify(after)})`);
    }
  };

  const checkInvariants = async (where: string): Promise<string[]> => {
    const found: string[] = [];
    // A killed operation's SSH session ends with it; the kernel frees its lock a moment later.
    for (let i = 0; i < 50 && !lockIsFree(lab); i++) await sleep(200);
    if (!lockIsFree(lab)) found.push(`${where}: the lock is still held`);
    let status = 0;
    for (let i = 0; i < 25 && status !== 200; i++) status = await get(`${lab.frontendUrl}/api/health`).then((s) => (s === 200 ? s : sleep(200).then(() => s)));
    if (status !== 200) found.push(`${where}: the frontend answers ${status || 'nothing'}`);
    // A script whose session dropped may still be finishing on the LB host (it removes its own files).
    let left = leftovers(lab);
    for (let i = 0; i < 25 && left.length; i++) left = await sleep(200).then(() => leftovers(lab));
    if (left.length) found.push(`${where}: left behind: ${left.join(', ')}`);
    let facts = stateFacts(lab);
    const routed = routedSlot(lab);
    if (!('switchCount' in facts) || facts.live !== routed) {
      // Drift is allowed after a fault, if it is reported and a reconcile fixes it.
      reconciles++;
      const r = await cli(work, 'reconcile').done;
      facts = stateFacts(lab);
      if (!('switchCount' in facts) || facts.live !== routed) found.push(`${where}: the state file disagrees with HAProxy (${routed}) even after reconcile (exit ${r.code}: ${r.tail})`);
    }
    if ('switchCount' in facts) {
      if (facts.switches !== facts.switchCount - startSwitches) found.push(`${where}: the history holds ${facts.switches} switches, the switch count says ${facts.switchCount - startSwitches}`);
      if (facts.broken) found.push(`${where}: history: ${facts.broken}`);
      if (facts.lastLive && facts.lastLive !== routed) found.push(`${where}: the history's last entry leaves ${facts.lastLive} LIVE, HAProxy routes to ${routed}`);
    }
    return found;
  };

  let cycle = 0;
  try {
    for (cycle = 1; cycle <= cycles; cycle++) {
      await operate('deploy');
      await operate('release');
      if (random() < 0.25) await operate('rollback');
      await operate('sync');
      if (cycle % 5 === 0 || cycle === cycles) console.log(`  cycle ${cycle}/${cycles}: ${outcomes.length} operations, ${outcomes.filter((o) => o.fault).length} with a fault, ${problems.length} problem(s)`);
      if (problems.length) break;
    }
  } finally {
    const samples = await load.stop();
    for (const p of Object.values(proxies)) await p.stop();
    diskFull?.unmount();
    const summary = report(outcomes, problems, samples, excused, reconciles, Date.now() - started, diskFull !== undefined);
    console.log(summary);
    if (values.save) writeFileSync(path.join(PROJECT_ROOT, 'bench', 'soak.md'), summary);
    await labDown(SOAK_DIR);
  }
  return problems.length ? 1 : 0;
}

/** A fault proxy in front of each host's sshd, and an ssh_config that reaches the hosts through them. */
async function startProxies(lab: LabInfo, work: string): Promise<Record<string, FaultProxy>> {
  const proxies: Record<string, FaultProxy> = {};
  const sshConfig = ['# The soak reaches every lab host through a fault proxy.', ''];
  const known = [readFileSync(lab.knownHosts, 'utf8').trim()];
  for (const [name, h] of Object.entries(lab.hosts)) {
    proxies[name] = await FaultProxy.start(h.address, PROXY_PORT, { host: h.address, port: h.sshPort });
    const key = readFileSync(path.join(h.home, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    known.push(`[${h.address}]:${PROXY_PORT} ${key}`);
    sshConfig.push(`Host ${h.alias}`, `  HostName ${h.address}`, `  Port ${PROXY_PORT}`, `  User ${os.userInfo().username}`, `  IdentityFile ${lab.clientKey}`, '  IdentitiesOnly yes', '  IdentityAgent none', `  UserKnownHostsFile ${path.join(work, 'known_hosts')}`, '  StrictHostKeyChecking yes', '');
  }
  writeFileSync(path.join(work, 'known_hosts'), known.join('\n') + '\n');
  writeFileSync(path.join(work, 'ssh_config'), sshConfig.join('\n'));
  return proxies;
}

/** The lab's config, through the proxies, with reload and validate that fail while their flag file exists. */
function soakConfig(lab: LabInfo, work: string, flags: string): string {
  return readFileSync(lab.configFile, 'utf8')
    .replace(`config: ${lab.sshConfig}`, `config: ${path.join(work, 'ssh_config')}\n  keepaliveIntervalMs: 1000\n  connectTimeoutMs: 5000`)
    .replace(`reload: ${lab.reloadCommand}`, `reload: test ! -e ${flags}/reload-fails && ${lab.reloadCommand}\n      validate: test ! -e ${flags}/validate-rejects && haproxy -c -q -f {file}`);
}

/** The small disk of a soak that was killed (its folder could not be removed: EBUSY). */
function unmountLeftovers(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(`${dir}/`));
  for (const m of mounts) execFileSync('umount', [m], { stdio: 'ignore' });
}

/** A 1 MB tmpfs under the state file's folder, to fill; undefined where mounting is not allowed. */
function mountSmallDisk(dir: string): { fill(): void; empty(): void; unmount(): void } | undefined {
  const saved = mkdtempSync(path.join(os.tmpdir(), 'bg-soak-state-'));
  try {
    execFileSync('sh', ['-c', `cp -a "$1"/. "$2"/ && mount -t tmpfs -o size=1m tmpfs "$1" && cp -a "$2"/. "$1"/`, 'sh', dir, saved], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const filler = path.join(dir, 'filler');
  return {
    fill: () => void execFileSync('sh', ['-c', `dd if=/dev/zero of="$1" bs=64k 2>/dev/null; true`, 'sh', filler]),
    empty: () => rmSync(filler, { force: true }),
    unmount: () => {
      rmSync(filler, { force: true });
      execFileSync('sh', ['-c', `cp -a "$1"/. "$2"/ && umount "$1" && cp -a "$2"/. "$1"/`, 'sh', dir, saved], { stdio: 'ignore' });
    },
  };
}

function report(outcomes: Outcome[], problems: string[], samples: Sample[], excused: { from: number; to: number }[], reconciles: number, ms: number, diskFull: boolean): string {
  const failed = samples.filter((s) => !s.ok);
  const inWindow = (s: Sample) => excused.some((w) => s.at >= w.from && s.at <= w.to + 2000);
  const unexcused = failed.filter((s) => !inWindow(s));
  const byFault = new Map<string, { n: number; ok: number }>();
  for (const o of outcomes) {
    const key = `${o.op}${o.fault ? ` + ${o.fault}` : ''}`;
    const e = byFault.get(key) ?? { n: 0, ok: 0 };
    e.n++;
    if (o.code === 0) e.ok++;
    byFault.set(key, e);
  }
  const rows = [...byFault].sort(([a], [b]) => a.localeCompare(b)).map(([k, e]) => `| ${k} | ${e.n} | ${e.ok} | ${e.n - e.ok} |`);
  return [
    `# Soak: ${cycles} cycles, seed ${seed}`,
    '',
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${(ms / 60000).toFixed(1)} min. \`npm run soak -- --cycles ${cycles} --seed ${seed}\` repeats it.`,
    '',
    `- operations: ${outcomes.length} (the second operators' included), ${outcomes.filter((o) => o.fault).length} with a fault injected at a random moment or run by a second operator${diskFull ? '' : ' (full disk not injected: this machine does not allow mounting a small tmpfs)'}`,
    `- requests through the frontend: ${samples.length}, failed: ${failed.length} (${unexcused.length} outside the windows where a fault made LIVE unhealthy on purpose)`,
    `- reconciles needed after a fault: ${reconciles}`,
    `- invariants checked after every operation (frontend answers, state file = HAProxy, history = switch count and an unbroken chain, lock free, no candidate or temp file left, LIVE's pm2 process not restarted by a deploy): ${problems.length ? `${problems.length} BROKEN` : 'all held'}`,
    ...problems.map((p) => `  - ${p}`),
    '',
    '| operation + fault | runs | exit 0 | failed (as expected or not) |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
