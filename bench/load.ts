import * as http from 'node:http';

export interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

/**
 * A closed-loop load generator: `connections` keep-alive connections, each sending its next
 * request when the last one answered. Written here rather than with autocannon so each
 * request's time and outcome can be matched to the switch windows.
 */
export function startLoad(url: string, connections = 8): { stop(): Promise<Sample[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const done = (ok: boolean) => {
        samples.push({ at: Date.now(), ms: performance.now() - started, ok });
        resolve();
      };
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === 200));
        res.on('error', () => done(false));
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        done(false);
      });
    });
  const workers = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
      return samples;
    },
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
