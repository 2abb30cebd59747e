// The scale row of `npm run bench`: a status refresh of 10 apps × 2 slots × 3 servers behind a pair of LBs.
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { labDown, labUp } from '../lab/lab';
import { machineCpuMs, ms } from './figures';
import { RefreshFigures, WARM_RUNS } from './scaleFigures';

const run = promisify(execFile);

export const SCALE = { apps: 10, servers: 3, lbs: 2 } as const;

export type ScaleFigures = Omit<RefreshFigures, 'coldUnread'> & { hosts: number };

/** Beside out/bench.js: the refreshing process's own bundle (esbuild.mjs). */
const REFRESH_BUNDLE = path.join(path.dirname(process.argv[1]), 'scale-refresh.js');

const SETTLE_CORES = 0.3;
const SETTLE_MAX_MS = 60_000;

/** Waits until a second of the machine's CPU is below SETTLE_CORES (at most SETTLE_MAX_MS), so the refresh is measured, not the lab's start. */
async function settle(): Promise<{ ms: number; cores: number }> {
  const started = Date.now();
  let cores = Infinity;
  while (cores > SETTLE_CORES && Date.now() - started < SETTLE_MAX_MS) {
    const before = machineCpuMs();
    await new Promise((r) => setTimeout(r, 1000));
    cores = (machineCpuMs() - before) / 1000;
  }
  return { ms: Date.now() - started, cores };
}

/** Starts the topology on its own addresses, refreshes it cold once and warm WARM_RUNS times (in a process of its own), and stops it. */
export async function scaleBench(say: (s?: string) => void): Promise<ScaleFigures> {
  const dir = path.join(os.tmpdir(), 'bluegreen-lab-scale');
  say(`## Scale: ${SCALE.apps} apps × 2 slots × ${SCALE.servers} servers behind ${SCALE.lbs} load balancers (a whole status refresh, as the tree and the badge read it)`);
  say();
  const started = Date.now();
  const lab = await labUp(dir, '127.75.0', SCALE);
  const upMs = Date.now() - started;
  try {
    const settled = await settle();
    const { stdout } = await run(process.execPath, [REFRESH_BUNDLE, lab.configFile], { maxBuffer: 16 << 20 });
    const r = JSON.parse(stdout) as RefreshFigures;
    const { coldUnread, ...measured } = r;
    const figures: ScaleFigures = { ...measured, hosts: Object.keys(lab.hosts).length };
    say(`${figures.hosts} hosts (${SCALE.apps * 2 * SCALE.servers} slot servers + ${SCALE.lbs} LBs), each its own sshd; the lab took ${(upMs / 1000).toFixed(0)} s to start, and ${(settled.ms / 1000).toFixed(0)} s more to settle (its 60 apps and pm2 daemons starting up; then ${settled.cores.toFixed(2)} of ${os.cpus().length} cores busy with no refresh). Every refresh reads every LB (config, state file, stats socket, lock) and every server (git, package.json, pm2, a health check). The refreshes run in a process of their own, which loads only the status code (\`out/scale-refresh.js\`).`);
    say();
    say('| | measured | target |');
    say('|---|---|---|');
    say(`| cold refresh (${figures.hosts} new SSH connections) | ${ms(r.cold)}${coldUnread.length ? ` (${coldUnread.length} not read in full: ${coldUnread.slice(0, 3).join(', ')}${coldUnread.length > 3 ? '…' : ''})` : ''} | < 2 s |`);
    say(`| warm refresh, median of ${WARM_RUNS} | ${ms(figures.warm)} | < 50 ms |`);
    say(`| CPU per warm refresh: the refreshing process (of it in the kernel) / whole machine (of it the lab's own load, measured idle) | ${ms(figures.processCpuMs)} (${ms(figures.processSystemMs)}) / ${ms(figures.machineCpuMs)} (${ms(figures.machineIdleMs)}) | |`);
    say(`| memory of the refreshing process after the runs: RSS / JS heap | ${figures.rssMb.toFixed(0)} MB / ${figures.heapMb.toFixed(0)} MB | < 150 MB |`);
    say();
    return figures;
  } finally {
    await labDown(dir);
  }
}
