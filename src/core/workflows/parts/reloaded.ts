import { parseShowProc } from '../../haproxy/masterCli';
import { parseShowInfo } from '../../status/parse';
import { lbHost } from '../../config/hostRefs';
import { localStep, OperationContext } from './operation';

const WAIT_MS = 5000;

/** HAProxy's current worker, from the master CLI; undefined without one (or while the master re-executes). */
export async function currentWorker(ctx: OperationContext): Promise<number | undefined> {
  const socket = ctx.app.loadBalancer.masterSocket;
  if (!socket) return undefined;
  const answer = await ctx.runner.askUnixSocket(lbHost(ctx.app), socket, 'show proc', { timeoutMs: 3000 }).catch(() => '');
  return parseShowProc(answer).workers[0]?.pid;
}

/**
 * A reload returns before HAProxy's new process serves; until it does, the old one answers
 * with the old rules, so an answer through the frontend proves nothing about a changed rule.
 * Waits (up to 5 s) for the master CLI to name another current worker than `before`; without
 * a master CLI, for the stats socket to answer from a process started since `since`.
 */
export async function untilReloaded(ctx: OperationContext, before: number | undefined, since: number): Promise<void> {
  const { masterSocket, statsSocket } = ctx.app.loadBalancer;
  if (!(masterSocket && before) && !statsSocket) return;
  await localStep(ctx, 'Wait for the reloaded HAProxy to serve', async () => {
    for (const until = Date.now() + WAIT_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      if (masterSocket && before) {
        const now = await currentWorker(ctx);
        if (now && now !== before) return;
        continue;
      }
      const info = parseShowInfo(await ctx.runner.askUnixSocket(lbHost(ctx.app), statsSocket!, 'show info', { timeoutMs: 3000 }).catch(() => ''));
      const uptime = Number(info.Uptime_sec);
      // Whole seconds: a process that started within the second before `since` passes too.
      if (Number.isFinite(uptime) && uptime * 1000 <= Date.now() - since && info.Stopping !== '1') return;
    }
    ctx.reporter.warn(`HAProxy did not show its reloaded process within ${WAIT_MS / 1000} s; checking through the frontend anyway`);
  });
}
