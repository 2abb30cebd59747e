// The refreshes of the bench's scale row, in a process and a bundle of their own
// (`node out/scale-refresh.js bluegreen.yaml`): its memory is what a process that loads the
// shipped status code and refreshes 62 hosts uses, not the bench's (its lab, load generator,
// browser driver and earlier parts).
import { readFileSync } from 'node:fs';
import { parseConfig } from '../src/core/config/load';
import { REFUSE_PROMPTS } from '../src/core/ssh/runner';
import { Ssh2Runner } from '../src/core/ssh/ssh2Runner';
import { takeSnapshot } from '../src/core/status/refresh';
import { Snapshot } from '../src/core/status/snapshot';
import { machineCpuMs, median } from './figures';
import { RefreshFigures, WARM_RUNS } from './scaleFigures';

const IDLE_SAMPLE_MS = 2000;

/** What a refresh did not read in full: an LB without its routing, a server not up, without its commit or pm2. */
function unread(snapshot: Snapshot): string[] {
  return snapshot.apps.flatMap((app) => [...app.lbs.filter((lb) => !lb.reachable || !lb.backend).map((lb) => `${app.name}: ${lb.host}`), ...[app.slots.blue, app.slots.green].flatMap((s) => s.servers.filter((v) => v.health !== 'up' || !v.commit || v.pm2?.status !== 'online').map((v) => `${v.server} (${v.healthDetail ?? v.error ?? v.health})`))]);
}

/** A warm refresh that skipped something is no figure. */
function assertComplete(snapshot: Snapshot): void {
  const missing = unread(snapshot);
  if (missing.length) throw new Error(`the refresh did not read ${missing.join(', ')} in full`);
}

async function main(file: string): Promise<void> {
  const config = parseConfig(readFileSync(file, 'utf8'), file);
  const runner = new Ssh2Runner({ sshConfigFile: config.ssh.config!, connectTimeoutMs: 20000, keepaliveIntervalMs: 5000, commandTimeoutMs: 60000, prompts: REFUSE_PROMPTS });
  try {
    const coldStart = performance.now();
    // Cold, every host's handshake at once on this machine: what it could not read in time is said.
    const coldUnread = unread(await takeSnapshot(runner, config));
    const cold = performance.now() - coldStart;
    // The lab's own load meanwhile, measured with nothing refreshing.
    const idleFrom = machineCpuMs();
    await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
    const idlePerMs = (machineCpuMs() - idleFrom) / IDLE_SAMPLE_MS;
    const warm: number[] = [];
    const cpu = process.cpuUsage();
    const machine = machineCpuMs();
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      assertComplete(await takeSnapshot(runner, config));
      warm.push(performance.now() - t);
    }
    const used = process.cpuUsage(cpu);
    const memory = process.memoryUsage();
    const figures: RefreshFigures = { cold, coldUnread, warm: median(warm), machineCpuMs: (machineCpuMs() - machine) / WARM_RUNS, machineIdleMs: (idlePerMs * warm.reduce((a, b) => a + b, 0)) / WARM_RUNS, processCpuMs: (used.user + used.system) / 1000 / WARM_RUNS, processSystemMs: used.system / 1000 / WARM_RUNS, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20 };
    runner.dispose();
    // Whatever handle is left (a socket closing) must not keep the bench waiting.
    process.stdout.write(JSON.stringify(figures), () => process.exit(0));
  } catch (e) {
    runner.dispose();
    throw e;
  }
}

if (require.main === module) {
  main(process.argv[2]).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
