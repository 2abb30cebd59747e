// The scale row of `npm run bench`: a status refresh of 10 apps × 2 slots × 3 servers behind a pair of LBs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { labDown, labUp } from '../lab/lab';
import { parseConfig } from '../src/core/config/load';
import { REFUSE_PROMPTS } from '../src/core/ssh/runner';
import { Ssh2Runner } from '../src/core/ssh/ssh2Runner';
import { takeSnapshot } from '../src/core/status/refresh';
import { Snapshot } from '../src/core/status/snapshot';
import { median, ms } from './load';

const run = promisify(execFile);

export const SCALE = { apps: 10, servers: 3, lbs: 2 } as const;
const RUNS = 20;

export type ScaleFigures = Omit<RefreshFigures, 'coldUnread'> & { hosts: number };

/** CPU time used by every process on this machine so far, from /proc/stat. */
export function machineCpuMs(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) * (1000 / 100);
}

/** What a refresh did not read in full: an LB without its routing, a server not up, without its commit or pm2. */
function unread(snapshot: Snapshot): string[] {
  return snapshot.apps.flatMap((app) => [...app.lbs.filter((lb) => !lb.reachable || !lb.backend).map((lb) => `${app.name}: ${lb.host}`), ...[app.slots.blue, app.slots.green].flatMap((s) => s.servers.filter((v) => v.health !== 'up' || !v.commit || v.pm2?.status !== 'online').map((v) => `${v.server} (${v.healthDetail ?? v.error ?? v.health})`))]);
}

/** A warm refresh that skipped something is no figure. */
function assertComplete(snapshot: Snapshot): void {
  const missing = unread(snapshot);
  if (missing.length) throw new Error(`the refresh did not read ${missing.join(', ')} in full`);
}

const REFRESH_FLAG = '--scale-refresh';

interface RefreshFigures {
  cold: number;
  coldUnread: string[];
  warm: number;
  machineCpuMs: number;
  processCpuMs: number;
  rssMb: number;
  heapMb: number;
}

/**
 * The refreshes themselves, in a process of their own (`node out/bench.js --scale-refresh FILE`),
 * so its memory is a refresh's, not the bench's (the lab's setup, the earlier parts' load).
 */
export async function runScaleRefreshIfAsked(): Promise<boolean> {
  const at = process.argv.indexOf(REFRESH_FLAG);
  if (at < 0) return false;
  const file = process.argv[at + 1];
  const config = parseConfig(readFileSync(file, 'utf8'), file);
  const sshConfigFile = config.ssh.config!;
  const runner = new Ssh2Runner({ sshConfigFile, connectTimeoutMs: 20000, keepaliveIntervalMs: 5000, commandTimeoutMs: 60000, prompts: REFUSE_PROMPTS });
  try {
    const coldStart = performance.now();
    // Cold, every host's handshake at once on this machine: what it could not read in time is said.
    const coldUnread = unread(await takeSnapshot(runner, config));
    const cold = performance.now() - coldStart;
    const warm: number[] = [];
    const cpu = process.cpuUsage();
    const machine = machineCpuMs();
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      assertComplete(await takeSnapshot(runner, config));
      warm.push(performance.now() - t);
    }
    const used = process.cpuUsage(cpu);
    const memory = process.memoryUsage();
    const figures: RefreshFigures = { cold, coldUnread, warm: median(warm), machineCpuMs: (machineCpuMs() - machine) / RUNS, processCpuMs: (used.user + used.system) / 1000 / RUNS, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20 };
    runner.dispose();
    // Whatever handle is left (a socket closing) must not keep the bench waiting.
    process.stdout.write(JSON.stringify(figures), () => process.exit(0));
  } catch (e) {
    runner.dispose();
    throw e;
  }
  return true;
}

/** Starts the topology on its own addresses, refreshes it cold once and warm RUNS times (in a process of its own), and stops it. */
export async function scaleBench(say: (s?: string) => void): Promise<ScaleFigures> {
  const dir = path.join(os.tmpdir(), 'bluegreen-lab-scale');
  say(`## Scale: ${SCALE.apps} apps × 2 slots × ${SCALE.servers} servers behind ${SCALE.lbs} load balancers (a whole status refresh, as the tree and the badge read it)`);
  say();
  const started = Date.now();
  const lab = await labUp(dir, '127.75.0', SCALE);
  const upMs = Date.now() - started;
  try {
    const { stdout } = await run(process.execPath, [process.argv[1], REFRESH_FLAG, lab.configFile], { maxBuffer: 16 << 20 });
    const r = JSON.parse(stdout) as RefreshFigures;
    const { coldUnread, ...measured } = r;
    const figures: ScaleFigures = { ...measured, hosts: Object.keys(lab.hosts).length };
    say(`${figures.hosts} hosts (${SCALE.apps * 2 * SCALE.servers} slot servers + ${SCALE.lbs} LBs), each its own sshd; the lab took ${(upMs / 1000).toFixed(0)} s to start. Every refresh reads every LB (config, state file, stats socket, lock) and every server (git, package.json, pm2, a health check). The refreshes run in a process of their own.`);
    say();
    say('| | measured | target |');
    say('|---|---|---|');
    say(`| cold refresh (${figures.hosts} new SSH connections) | ${ms(r.cold)}${coldUnread.length ? ` (${coldUnread.length} not read in full: ${coldUnread.slice(0, 3).join(', ')}${coldUnread.length > 3 ? '…' : ''})` : ''} | < 2 s |`);
    say(`| warm refresh, median of ${RUNS} | ${ms(figures.warm)} | < 50 ms |`);
    say(`| CPU per warm refresh: the refreshing process / whole machine | ${ms(figures.processCpuMs)} / ${ms(figures.machineCpuMs)} | |`);
    say(`| memory of the refreshing process after the runs: RSS / JS heap | ${figures.rssMb.toFixed(0)} MB / ${figures.heapMb.toFixed(0)} MB | < 150 MB |`);
    say();
    return figures;
  } finally {
    await labDown(dir);
  }
}
