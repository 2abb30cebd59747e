import * as http from 'node:http';

export interface Sample {
  /** When the request was sent (epoch ms). */
  at: number;
  ms: number;
  ok: boolean;
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
