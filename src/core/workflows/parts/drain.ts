import { oldProcesses } from '../../status/oldProcesses';
import { OldProcess } from '../../status/snapshot';
import { OperationContext } from './operation';

const POLL_MS = 250;
/** How long the master CLI is asked again right after a switch: it refuses connections for a moment while it re-executes. */
const AT_SWITCH_MS = 1000;
const AT_SWITCH_POLL_MS = 100;

/** The old HAProxy processes right after a switch; undefined without a master socket, or when it did not answer. */
export async function oldProcessesAtSwitch(ctx: OperationContext): Promise<OldProcess[] | undefined> {
  if (!ctx.app.loadBalancer.masterSocket) return undefined;
  for (const until = Date.now() + AT_SWITCH_MS; ; await new Promise((r) => setTimeout(r, AT_SWITCH_POLL_MS))) {
    const found = await oldProcesses(ctx.runner, ctx.app).catch(() => undefined);
    if (found || Date.now() >= until) return found;
  }
}

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
  const before = !atSwitch ? 'the master CLI did not answer right after the switch' : atSwitch.length ? `the old HAProxy process${atSwitch.length > 1 ? 'es' : ''} ${pids(atSwitch)} held ${held(atSwitch)} connection(s) after the switch` : 'no old HAProxy process was left after the switch';
  const message = !now
    ? `${before}; the master CLI did not answer since`
    : !now.length
      ? `${before}${atSwitch?.length ? `; all exited within ${seconds} s` : ''}`
      : `${before}; ${pids(now)} still hold${now.length > 1 ? '' : 's'} ${held(now)} connection(s) ${seconds} s after it (they end when their clients close, or at hard-stop-after)`;
  ctx.reporter.line(ctx.app.loadBalancer.ssh, message, 'stdout');
  return message;
}
