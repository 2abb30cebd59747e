import { oldProcesses } from '../status/oldProcesses';
import { OldProcess } from '../status/snapshot';
import { OperationContext } from './operation';

const POLL_MS = 250;

/**
 * Follows the old HAProxy processes after a switch: how many connections they held just
 * after it (`atSwitch`), and whether they exited within `forMs` more. One line in the
 * output; undefined when there is no master socket to ask.
 */
export async function reportDrain(ctx: OperationContext, switchedAt: number, atSwitch: OldProcess[] | undefined, forMs: number): Promise<string | undefined> {
  if (!ctx.app.loadBalancer.masterSocket) return undefined;
  const until = Date.now() + forMs;
  let now: OldProcess[] | undefined;
  for (;;) {
    now = await oldProcesses(ctx.runner, ctx.app).catch(() => undefined);
    if ((now && !now.length) || Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const held = (ps: OldProcess[]) => ps.reduce((n, p) => n + (p.connections ?? 0), 0);
  const pids = (ps: OldProcess[]) => ps.map((p) => p.pid).join(', ');
  const seconds = ((Date.now() - switchedAt) / 1000).toFixed(1);
  const before = atSwitch?.length ? `the old HAProxy process${atSwitch.length > 1 ? 'es' : ''} ${pids(atSwitch)} held ${held(atSwitch)} connection(s) after the switch` : 'no old HAProxy process was left after the switch';
  const message = !now
    ? `${before}; the master CLI did not answer since`
    : !now.length
      ? `${before}${atSwitch?.length ? `; all exited within ${seconds} s` : ''}`
      : `${before}; ${pids(now)} still hold${now.length > 1 ? '' : 's'} ${held(now)} connection(s) ${seconds} s after it (they end when their clients close, or at hard-stop-after)`;
  ctx.reporter.line(ctx.app.loadBalancer.ssh, message, 'stdout');
  return message;
}
