import { ChildProcess, fork } from 'node:child_process';
import { generateLoad, Sample } from '../lab/load';

export type { Sample };

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

export { median, ms, percentile } from './figures';
