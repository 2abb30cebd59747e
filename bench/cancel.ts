// How long a Cancel takes to stop a command that floods its output (issue #14, item 5).
import { Ssh2Runner } from '../src/core/ssh/ssh2Runner';
import { median, ms } from './load';

const RUNS = 5;
const FLOOD_MS = 1000;

/** One flood, cancelled after FLOOD_MS of it: the time from abort() to the run's end. */
async function cancelOnce(runner: Ssh2Runner, lane: 'step' | undefined): Promise<number> {
  const controller = new AbortController();
  let abortedAt = 0;
  let started = false;
  const run = runner.run({ ssh: 'lab-blue' }, `yes '${'x'.repeat(200)}'`, {
    lane,
    signal: controller.signal,
    onStdout: () => {
      if (started) return;
      started = true;
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, FLOOD_MS);
    },
  });
  await run.catch(() => undefined);
  return performance.now() - abortedAt;
}

/** Median and worst per lane; returns the worst of all, for the target. */
export async function cancelBench(say: (s?: string) => void, runner: Ssh2Runner): Promise<number> {
  say(`## Cancel under an output flood (\`yes\` with 200-character lines, cancelled after ${FLOOD_MS} ms of it; ${RUNS} runs each)`);
  say();
  say('| where the command runs | median | worst |');
  say('|---|---|---|');
  let worst = 0;
  for (const [label, lane] of [['its own exec channel', undefined], ['the long-lived step shell', 'step']] as const) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await cancelOnce(runner, lane));
    worst = Math.max(worst, ...times);
    say(`| ${label} | ${ms(median(times))} | ${ms(Math.max(...times))} |`);
  }
  say();
  return worst;
}
