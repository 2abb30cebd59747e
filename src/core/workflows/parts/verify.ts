import { otherSlot, SlotName } from '../../config/types';
import { parseHealthBody } from '../../status/parse';
import { frontendHealth, lbHost } from '../../config/hostRefs';
import { HttpResult } from '../../ssh/runner';
import { AppSnapshot, BackendTraffic, slotLabel } from '../../status/snapshot';
import { localStep, OperationContext } from './operation';
import { Served, servedByBody } from '../../status/servedBy';
import { backendCounters, countedAround, servedByCounters } from './whoAnswered';
import { errorMessage } from '../../errors';
import { secondsText } from '../../format';
import { trafficExceeds, TrafficSince, trafficSince, trafficText } from '../../status/traffic';

/** HAProxy serves the new routing shortly after a reload (bench/results.md): ask often, for up to 5 s. */
const VERIFY_WINDOW_MS = 5000;
const VERIFY_INTERVAL_MS = 20;
/**
 * HAProxy's master can miss a reload signal that comes while it is still settling after the
 * one before: undoing a switch right after it was verified failed that way now and then on a
 * clean CI machine. While the frontend still answers from the old slot, the reload
 * is sent again at these times (the config on disk is already the one wanted).
 */
const RELOAD_AGAIN_AFTER_MS = [1000, 2500];

export type ProbeOutcome = { ok: true; note: string; healthy: boolean; unproven?: string } | { ok: false; why: string; oldAnswered?: string };

/** The config on disk is the one wanted; only whether HAProxy took it is in doubt. The next check tells. */
async function reloadAgain(ctx: OperationContext, why: string): Promise<void> {
  const lb = ctx.app.loadBalancer;
  ctx.reporter.warn(`${why}: HAProxy may have missed the reload signal; reloading again`);
  try {
    const r = await ctx.runner.run(lbHost(ctx.app), lb.reload, { lane: 'step', timeoutMs: 30000 });
    if (r.code !== 0) ctx.reporter.warn(`the reload on ${lb.ssh} exited with ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  } catch (e) {
    ctx.reporter.warn(`the reload on ${lb.ssh} did not run: ${(e as Error).message}`);
  }
}

/**
 * One request through the frontend, from the LB host: which slot's backend served it (the
 * body's identity, else HAProxy's per-backend counts) and, when `requireHealthy`, whether
 * it answered 200. Routing and health are separate questions: an emergency release to a
 * slot that answers 503 is routed right.
 */
export function frontendProbe(ctx: OperationContext, before: AppSnapshot, to: SlotName, alsoFine?: SlotName): { url: string; probe: (requireHealthy: boolean) => Promise<ProbeOutcome> } | undefined {
  const { app } = ctx;
  const health = frontendHealth(app);
  if (!health) return undefined;
  const { url, hostHeader } = health;
  const target = before.slots[to];
  const old = before.slots[otherSlot(to)];
  const [newBackend, oldBackend] = [app.slots[to].backend, app.slots[old.name].backend];
  const counters = backendCounters(ctx.runner, app);
  // Counted only once a body has proved silent: most health bodies name their slot, and the
  // two extra socket round trips would then only slow the switch.
  let counting = false;
  const ask = () => ctx.runner.httpGet(lbHost(app), url, { timeoutMs: app.health.timeoutMs, hostHeader, signal: ctx.signal });
  const probe = async (requireHealthy: boolean): Promise<ProbeOutcome> => {
    try {
      if (counting && counters) {
        const c = await countedAround(counters, ask);
        const body = parseHealthBody(c.result.body);
        const byBody = servedByBody(body, target, old);
        const served = byBody.by !== 'unknown' ? byBody : c.before && c.after ? servedByCounters(c.before, c.after, newBackend, oldBackend) : { by: 'unknown' as const, detail: `${byBody.detail}, and the stats socket did not answer (${c.error})` };
        return judge(c.result, body.version, served, requireHealthy);
      }
      const r = await ask();
      const body = parseHealthBody(r.body);
      const served = servedByBody(body, target, old);
      if (served.by === 'unknown' && counters) {
        counting = true;
        return await probe(requireHealthy);
      }
      return judge(r, body.version, served, requireHealthy);
    } catch (e) {
      return { ok: false, why: (e as Error).message };
    }
  };
  const judge = (r: HttpResult, version: string | undefined, served: Served, requireHealthy: boolean): ProbeOutcome => {
    const healthy = r.status === 200;
    if (served.by === 'new') {
      if (!healthy && requireHealthy) return { ok: false, why: `HTTP ${r.status} from ${slotLabel(to)}` };
      const counted = served.how === 'counters' ? ` (HAProxy counted it on ${newBackend})` : '';
      return { ok: true, healthy, note: `HTTP ${r.status} from ${slotLabel(to)}${version ? ` v${version}` : ''} in ${r.ms} ms${counted}${healthy ? '' : `: ${slotLabel(to)} serves the traffic but is not healthy`}` };
    }
    if (served.by === 'old' && alsoFine === old.name) {
      if (!healthy && requireHealthy) return { ok: false, why: `HTTP ${r.status} from ${slotLabel(old.name)}` };
      return { ok: true, healthy, note: `HTTP ${r.status} from ${slotLabel(old.name)}${version ? ` v${version}` : ''} in ${r.ms} ms` };
    }
    if (served.by === 'old') return { ok: false, why: `answered by ${slotLabel(old.name)}`, oldAnswered: slotLabel(old.name) };
    if (served.by === 'neither') return { ok: false, why: `HTTP ${r.status}, answered by something that is neither slot (${served.detail})` };
    if (served.settling || (!healthy && requireHealthy)) return { ok: false, why: `HTTP ${r.status}${served.settling ? `, ${served.detail}` : ''}` };
    const unproven = `which slot answered cannot be told (${served.detail}${counters ? '' : '; set loadBalancer.statsSocket so HAProxy can count requests per backend'})`;
    return { ok: true, healthy, unproven, note: `HTTP ${r.status} in ${r.ms} ms, but ${unproven}` };
  };
  return { url, probe };
}

export type Verified = { ok: true; healthy: boolean; unproven?: string } | { ok: false; why: string };

/**
 * Requests through the frontend until `to`'s backend serves them (or `alsoFine`'s: a canary's
 * clients are split between both), reloading again while only the other one does: the one
 * check every change to haproxy.cfg is confirmed by. `requireHealthy`: the answer must also be a 200.
 */
export async function verifyLive(ctx: OperationContext, before: AppSnapshot, to: SlotName, requireHealthy: boolean, alsoFine?: SlotName): Promise<Verified> {
  const front = frontendProbe(ctx, before, to, alsoFine);
  if (!front) {
    const unproven = 'no app url or loadBalancer.frontendUrl is configured, so the switch cannot be verified through the frontend';
    ctx.reporter.warn(unproven);
    return { ok: true, healthy: true, unproven };
  }
  return localStep(ctx, `Verify ${slotLabel(to)}${alsoFine ? ` or ${slotLabel(alsoFine)}` : ''} answers through the frontend`, async () => {
    let last = '';
    const started = Date.now();
    const until = started + VERIFY_WINDOW_MS;
    let reloads = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await front.probe(requireHealthy);
      if (outcome.ok) {
        ctx.reporter.line(ctx.app.loadBalancer.ssh, `${front.url}: ${outcome.note}${attempt > 1 ? ` (request ${attempt})` : ''}`, 'stdout');
        if (outcome.unproven) ctx.reporter.warn(`the switch is not proven: ${outcome.unproven}`);
        return { ok: true, healthy: outcome.healthy, unproven: outcome.unproven } as const;
      }
      last = outcome.why;
      if (outcome.oldAnswered && reloads < RELOAD_AGAIN_AFTER_MS.length && Date.now() - started >= RELOAD_AGAIN_AFTER_MS[reloads]) {
        reloads++;
        await reloadAgain(ctx, `${outcome.oldAnswered} still answers through the frontend ${Date.now() - started} ms after the reload`);
      }
      if (Date.now() >= until || ctx.signal?.aborted) break;
      await new Promise((r) => setTimeout(r, VERIFY_INTERVAL_MS));
    }
    return { ok: false, why: `${front.url} did not reach ${slotLabel(to)} after the reload (${last})` } as const;
  });
}

/**
 * Keeps checking the new LIVE through the frontend for a while after the switch;
 * `watchFailures` failures in a row mean it is failing, and so does what HAProxy counts for
 * its backend (the 5xx share, the response time: `release.watch`) when the stats socket is
 * set. Returns why it is failing, or undefined when it held up. Without `requireHealthy` (an
 * emergency) only routing away from it counts as failing.
 */
export async function watchLive(ctx: OperationContext, before: AppSnapshot, to: SlotName, requireHealthy: boolean, o: WatchOptions = {}): Promise<string | undefined> {
  const { watchFailures } = ctx.app.release;
  const watchSeconds = o.seconds ?? ctx.app.release.watchSeconds;
  const front = frontendProbe(ctx, before, to);
  if (!front || watchSeconds === 0) return undefined;
  return localStep(ctx, `Watch ${slotLabel(to)} for ${secondsText(watchSeconds)}`, async () => {
    const until = Date.now() + watchSeconds * 1000;
    const counted = requireHealthy ? await countedTraffic(ctx, to) : undefined;
    let inARow = 0;
    let checks = 0;
    let unhealthy = 0;
    while (Date.now() < until && !ctx.signal?.aborted) {
      const outcome = await front.probe(requireHealthy);
      checks++;
      if (outcome.ok) {
        inARow = 0;
        if (!outcome.healthy) unhealthy++;
      } else {
        inARow++;
        ctx.reporter.line(ctx.app.loadBalancer.ssh, `check ${checks}: ${outcome.why} (${inARow} in a row)`, 'stderr');
        if (inARow >= watchFailures) return `${front.url} failed ${inARow} checks in a row after the switch (${outcome.why})`;
      }
      const exceeded = await counted?.exceeded();
      if (exceeded) return exceeded;
      const stop = await o.stopRequested?.();
      if (stop) {
        ctx.reporter.warn(`${stop} asked to stop watching ${slotLabel(to)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const health = unhealthy ? `, not healthy in ${unhealthy} of them` : '';
    ctx.reporter.line(ctx.app.loadBalancer.ssh, `${checks} checks through the frontend, ${slotLabel(to)} served them${health}`, 'stdout');
    const total = counted?.last();
    if (total) ctx.reporter.line(ctx.app.loadBalancer.ssh, `HAProxy counted for ${ctx.app.slots[to].backend} during the watch: ${trafficText(total)}`, 'stdout');
    return undefined;
  });
}

export interface WatchOptions {
  /** How long (default: release.watchSeconds); a resumed watch has what is left. */
  seconds?: number;
  /** Who asked the watch to stop, when someone did. */
  stopRequested?: () => Promise<string | undefined>;
}

/**
 * HAProxy's counters for the new LIVE's backend from the start of the watch: `exceeded()` reads
 * them again and says why they cross `release.watch`. A failed read skips a beat, not the watch.
 */
async function countedTraffic(ctx: OperationContext, to: SlotName): Promise<{ exceeded(): Promise<string | undefined>; last(): TrafficSince | undefined } | undefined> {
  const counters = backendCounters(ctx.runner, ctx.app);
  if (!counters) return undefined;
  const backend = ctx.app.slots[to].backend;
  const read = async () => (await counters.traffic()).get(backend);
  let baseline: BackendTraffic | undefined;
  let last: TrafficSince | undefined;
  try {
    baseline = await read();
  } catch (e) {
    ctx.reporter.warn(`the stats socket did not answer (${errorMessage(e)}): the watch checks health only`);
    return undefined;
  }
  return {
    last: () => last,
    async exceeded() {
      const now = await read().catch(() => undefined);
      if (!now) return undefined;
      last = trafficSince(baseline, now);
      // A reload restarted the counts: go on from the new process's.
      if (now.requests < (baseline?.requests ?? 0)) baseline = undefined;
      const why = trafficExceeds(last, ctx.app.release.watch);
      return why && `${slotLabel(to)} is failing after the switch: ${why}`;
    },
  };
}
