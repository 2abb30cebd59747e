import { ChildProcess, fork } from 'node:child_process';
import * as http from 'node:http';

export interface Sample {
  /** When the request was sent (epoch ms). */
  at: number;
  ms: number;
  ok: boolean;
}

const LOAD_FLAG = '--load-generator';

/**
 * An open-loop load generator at a steady rate over `connections` keep-alive connections,
 * in a process of its own so the release being measured never delays a request (and the
 * other way round). Written here rather than with autocannon so each request's time and
 * outcome can be matched to the switch windows.
 */
export function startLoad(url: string, ratePerSecond: number, connections = 8): { stop(): Promise<Sample[]> } {
  const child: ChildProcess = fork(process.argv[1], [LOAD_FLAG, url, String(ratePerSecond), String(connections)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    stop: () =>
      new Promise<Sample[]>((resolve, reject) => {
        child.once('message', (samples) => resolve(samples as Sample[]));
        child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) before sending its samples`)));
        child.send('stop');
      }),
  };
}

/** In the forked process: true when this process is the load generator (it then runs until told to stop). */
export function runLoadGeneratorIfAsked(): boolean {
  const at = process.argv.indexOf(LOAD_FLAG);
  if (at < 0) return false;
  const [url, rate, connections] = process.argv.slice(at + 1);
  const load = generateLoad(url, Number(rate), Number(connections));
  process.on('message', () => {
    void load.stop().then((samples) => process.send?.(samples, () => process.exit(0)));
  });
  return true;
}

/** Requests at a steady rate in this process, until stopped; then waits for those in flight. */
export function generateLoad(url: string, ratePerSecond: number, connections: number): { stop(): Promise<Sample[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  const started = performance.now();
  let sent = 0;
  const send = () => {
    const at = Date.now();
    const t = performance.now();
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      samples.push({ at, ms: performance.now() - t, ok });
    };
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200));
      res.on('error', () => done(false));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', () => done(false));
  };
  // Catch up on every tick, so a late timer does not lower the rate.
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
    for (; sent < due; sent++) send();
  }, 5);
  return {
    stop: () =>
      new Promise<Sample[]>((resolve) => {
        clearInterval(timer);
        // Requests in flight finish or time out within 5 s.
        const wait = setInterval(() => {
          if (samples.length < sent) return;
          clearInterval(wait);
          agent.destroy();
          resolve(samples);
        }, 20);
      }),
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
