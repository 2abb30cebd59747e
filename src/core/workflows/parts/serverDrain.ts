import { appViaEach } from '../../config/appVia';
import { lbHost, serverAddress } from '../../config/hostRefs';
import { AppConfig, ServerConfig } from '../../config/types';
import { parseShowStat } from '../../status/parse';
import { RuntimeServer } from '../../status/snapshot';
import { OperationContext, WorkflowError } from './operation';

/** HAProxy's names are letters, digits and `_ . : -`; anything else is not sent to its socket. */
const NAME = /^[A-Za-z0-9_.:][A-Za-z0-9_.:-]*$/;
const POLL_MS = 250;

/** One slot server as one load balancer's HAProxy knows it: `backend/server`, found by its address. */
export interface DrainTarget {
  lb: AppConfig;
  backend: string;
  server: string;
}

async function showStat(ctx: OperationContext, lb: AppConfig): Promise<RuntimeServer[]> {
  return parseShowStat(await ctx.runner.askUnixSocket(lbHost(lb), lb.loadBalancer.statsSocket!, 'show stat', { timeoutMs: 5000, signal: ctx.signal }));
}

/**
 * The server's line in `backend` on every load balancer, by the address its url names; a
 * reason instead when one cannot be drained (no stats socket, no such line, HAProxy too old to
 * say addresses), for the caller to refuse before anything restarts.
 */
export async function drainTargets(ctx: OperationContext, backend: string, server: ServerConfig): Promise<DrainTarget[] | string> {
  const address = serverAddress(server.url);
  const targets: DrainTarget[] = [];
  for (const lb of appViaEach(ctx.app)) {
    const at = lb.loadBalancer.ssh;
    if (!lb.loadBalancer.statsSocket) return `${at} has no loadBalancer.statsSocket, so ${server.name} cannot be drained there first`;
    const lines = (await showStat(ctx, lb)).filter((s) => s.backend === backend);
    const mine = lines.filter((s) => s.address === address);
    if (mine.length !== 1) return `${at}: HAProxy's backend ${backend} has ${mine.length ? 'several lines' : 'no line'} for ${server.name}'s address ${address}${lines.some((s) => s.address) ? '' : ' (its show stat gives no addresses: HAProxy 1.9 or later does)'}`;
    if (!NAME.test(mine[0].server)) return `${at}: the server name "${mine[0].server}" is not one this tool sends to HAProxy's socket`;
    targets.push({ lb, backend, server: mine[0].server });
  }
  return targets;
}

/** `set server B/S state drain|ready` on the load balancer; HAProxy answers nothing when it did it. */
export async function setServerState(ctx: OperationContext, t: DrainTarget, state: 'drain' | 'ready', stateNow: () => string): Promise<void> {
  const answer = (await ctx.runner.askUnixSocket(lbHost(t.lb), t.lb.loadBalancer.statsSocket!, `set server ${t.backend}/${t.server} state ${state}`, { timeoutMs: 5000 })).trim();
  if (answer) throw new WorkflowError('step-failed', `Set ${t.backend}/${t.server} to ${state}`, t.lb.loadBalancer.ssh, `HAProxy said: ${answer.split('\n')[0]}`, stateNow());
}

/** Polls until `done` holds for the server's line, or `timeoutMs` passes; its last line either way. */
export async function waitForLine(ctx: OperationContext, t: DrainTarget, done: (line: RuntimeServer) => boolean, timeoutMs: number): Promise<{ met: boolean; line?: RuntimeServer }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = (await showStat(ctx, t.lb)).find((s) => s.backend === t.backend && s.server === t.server);
    if (line && done(line)) return { met: true, line };
    if (Date.now() >= until) return { met: false, line };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * The servers of `backend` on each load balancer that are not plainly UP (in maintenance,
 * drained, down, or a check failing): a one-at-a-time restart may take a server out only while
 * every other one serves. "lb-host: web-2 MAINT", one each.
 */
export async function serversNotUp(ctx: OperationContext, backend: string): Promise<string[]> {
  const out: string[] = [];
  for (const lb of appViaEach(ctx.app)) {
    for (const l of (await showStat(ctx, lb)).filter((x) => x.backend === backend && x.status !== 'UP')) out.push(`${lb.loadBalancer.ssh}: ${l.server} ${l.status}`);
  }
  return out;
}

