import { otherSlot, SlotName } from '../config/types';
import { parseHealthBody } from '../status/parse';
import { lbHost } from '../status/probe';
import { AppSnapshot, SlotSnapshot, slotLabel } from '../status/snapshot';
import { localStep, OperationContext } from './operation';

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

type ProbeOutcome = { ok: true; note: string } | { ok: false; why: string; oldAnswered?: string };

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

/** One request through the frontend, from the LB host: did the new LIVE answer it? */
export function frontendProbe(ctx: OperationContext, before: AppSnapshot, to: SlotName): { url: string; probe: () => Promise<ProbeOutcome> } | undefined {
  const { app } = ctx;
  const base = app.loadBalancer.frontendUrl ?? app.url;
  if (!base) return undefined;
  const url = base.replace(/\/$/, '') + app.health.path;
  const hostHeader = app.loadBalancer.frontendUrl && app.url ? new URL(app.url).host : undefined;
  const target = before.slots[to];
  const old = before.slots[otherSlot(to)];
  const tellApart = identify(target, old);
  const probe = async (): Promise<ProbeOutcome> => {
    try {
      const r = await ctx.runner.httpGet(lbHost(app), url, { timeoutMs: app.health.timeoutMs, hostHeader, signal: ctx.signal });
      const body = parseHealthBody(r.body);
      const answered = tellApart(body);
      if (r.status === 200 && (answered === 'new' || answered === 'either')) return { ok: true, note: `HTTP 200 from ${answered === 'new' ? slotLabel(to) : 'a slot (both report the same version)'}${body.version ? ` v${body.version}` : ''} in ${r.ms} ms` };
      if (r.status === 200 && answered === 'old') return { ok: false, why: `answered by ${slotLabel(old.name)}`, oldAnswered: slotLabel(old.name) };
      return { ok: false, why: r.status !== 200 ? `HTTP ${r.status}` : 'answered by something that is neither slot' };
    } catch (e) {
      return { ok: false, why: (e as Error).message };
    }
  };
  return { url, probe };
}

/** Requests through the frontend until the new LIVE answers them, reloading again while the old one still does. */
export async function verifyLive(ctx: OperationContext, before: AppSnapshot, to: SlotName): Promise<{ ok: true } | { ok: false; why: string }> {
  const front = frontendProbe(ctx, before, to);
  if (!front) {
    ctx.reporter.warn('no app url or loadBalancer.frontendUrl is configured, so the switch cannot be verified through the frontend');
    return { ok: true };
  }
  return localStep(ctx, `Verify ${slotLabel(to)} answers through the frontend`, async () => {
    let last = '';
    const started = Date.now();
    const until = started + VERIFY_WINDOW_MS;
    let reloads = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await front.probe();
      if (outcome.ok) {
        ctx.reporter.line(ctx.app.loadBalancer.ssh, `${front.url}: ${outcome.note}${attempt > 1 ? ` (request ${attempt})` : ''}`, 'stdout');
        return { ok: true } as const;
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
 * `watchFailures` failures in a row mean it is failing: undefined when it held up.
 */
export async function watchLive(ctx: OperationContext, before: AppSnapshot, to: SlotName): Promise<string | undefined> {
  const { watchSeconds, watchFailures } = ctx.app.release;
  const front = frontendProbe(ctx, before, to);
  if (!front || watchSeconds === 0) return undefined;
  return localStep(ctx, `Watch ${slotLabel(to)} for ${watchSeconds} s`, async () => {
    const until = Date.now() + watchSeconds * 1000;
    let inARow = 0;
    let checks = 0;
    while (Date.now() < until && !ctx.signal?.aborted) {
      const outcome = await front.probe();
      checks++;
      if (outcome.ok) inARow = 0;
      else {
        inARow++;
        ctx.reporter.line(ctx.app.loadBalancer.ssh, `check ${checks}: ${outcome.why} (${inARow} in a row)`, 'stderr');
        if (inARow >= watchFailures) return `${front.url} failed ${inARow} checks in a row after the switch (${outcome.why})`;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    ctx.reporter.line(ctx.app.loadBalancer.ssh, `${checks} checks through the frontend, ${slotLabel(to)} held up`, 'stdout');
    return undefined;
  });
}

/**
 * How to tell which slot answered: commit, then environment, then version, when they
 * differ. An answer that matches neither slot is not our app (another backend, an error
 * page) and never counts as the new LIVE.
 */
function identify(target: SlotSnapshot, old: SlotSnapshot): (body: { commit?: string; environment?: string; version?: string }) => 'new' | 'old' | 'either' | 'neither' {
  for (const key of ['commit', 'environment', 'version'] as const) {
    const [t, o] = [target[key], old[key]];
    if (t && o && t !== o) return (body) => (body[key] === t ? 'new' : body[key] === o ? 'old' : 'neither');
  }
  return (body) => (!target.version || body.version === target.version ? 'either' : 'neither');
}
