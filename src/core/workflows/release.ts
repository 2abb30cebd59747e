import { otherSlot, SlotName } from '../config/types';
import { backendExists, findRouting, withRouting } from '../haproxy/config';
import { shQuote } from '../shell';
import { parseHealthBody } from '../status/parse';
import { lbHost, slotHost } from '../status/probe';
import { snapshotApp } from '../status/refresh';
import { AppSnapshot, SlotSnapshot, slotLabel } from '../status/snapshot';
import { liveUnchanged, slotSummary } from './describe';
import { readLbFiles } from './lbFiles';
import { RELOADED, restoreScript, SWITCH_EXIT, switchScript, writeStateScript } from './lbScripts';
import { acquireLock } from './lock';
import { localStep, OperationContext, remoteStep, throwIfCancelled, WorkflowError } from './operation';

export interface ReleaseOptions {
  kind?: 'release' | 'rollback';
  /** Skip the health gate (and the drift gate); the person types the slot name and a reason. */
  emergency?: boolean;
}

export interface ReleaseResult {
  from: SlotName;
  to: SlotName;
  /** Confirmation to new LIVE verified through the frontend. */
  switchMs: number;
  verified: boolean;
  reason?: string;
  stateWritten: boolean;
}

const BLOCKING_DRIFT = new Set(['state-file-disagrees', 'state-file-corrupt', 'config-not-loaded']);
/** HAProxy serves the new routing 50–90 ms after a reload; keep asking for up to 5 s. */
const VERIFY_WINDOW_MS = 5000;
const VERIFY_INTERVAL_MS = 20;
/**
 * HAProxy's master can miss a reload signal that comes while it is still settling after the
 * one before: undoing a switch right after it was verified failed that way about one run in
 * five on a clean CI machine. While the frontend still answers from the old slot, the reload
 * is sent again at these times (the config on disk is already the one wanted).
 */
const RELOAD_AGAIN_AFTER_MS = [1000, 2500];

function versionText(s: SlotSnapshot): string {
  return s.version ? `v${s.version.replace(/^v/, '')}` : 'version unknown';
}

/** Whether a semver-ish version is newer; undefined when either cannot be compared. */
export function isNewer(candidate?: string, current?: string): boolean | undefined {
  const parse = (v?: string) => v?.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map(Number);
  const [a, b] = [parse(candidate), parse(current)];
  if (!a || !b || a.some(Number.isNaN) || b.some(Number.isNaN)) return undefined;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/** Switches traffic to STANDBY; rollback is the same switch, back to the previous LIVE. */
export async function release(ctx: OperationContext, o: ReleaseOptions = {}): Promise<ReleaseResult> {
  const { app } = ctx;
  const kind = o.kind ?? 'release';
  const title = kind === 'rollback' ? 'Rollback' : o.emergency ? 'Emergency release' : 'Release';
  const lock = await acquireLock(ctx, kind + (o.emergency ? ' (emergency)' : ''), 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles and health', () => snapshotApp(ctx.runner, app, ctx.signal));
    const unchanged = () => liveUnchanged(before);
    if (!before.live) throw new WorkflowError('refused', title, app.loadBalancer.ssh, `cannot tell which slot is LIVE (${before.lb.error ?? 'unknown routing'})`, 'Nothing was changed.');
    const from = before.live;
    const to = otherSlot(from);
    const fromSlot = before.slots.find((s) => s.name === from)!;
    const toSlot = before.slots.find((s) => s.name === to)!;
    const history = before.lb.state.history;

    if (kind === 'rollback') {
      const last = history[history.length - 1];
      if (!last) ctx.reporter.warn('the state file records no previous switch; rolling back means switching to the current STANDBY');
      else if (String(last.from).toLowerCase() !== to) ctx.reporter.warn(`the last recorded switch went ${String(last.from).toUpperCase()} → ${String(last.to).toUpperCase()}; rolling back to ${slotLabel(to)}`);
    }
    const blocking = before.drift.filter((d) => BLOCKING_DRIFT.has(d.kind));
    if (blocking.length && !o.emergency) {
      throw new WorkflowError('refused', title, app.loadBalancer.ssh, `the state file and HAProxy disagree (${blocking.map((d) => d.message).join('; ')}). Reconcile the state file first, or use an emergency release`, unchanged());
    }
    if (toSlot.health !== 'up' && !o.emergency) {
      throw new WorkflowError('refused', title, toSlot.host, `STANDBY ${slotLabel(to)} is not healthy (${toSlot.healthDetail ?? toSlot.error ?? toSlot.health}); traffic stays on ${slotLabel(from)}`, unchanged());
    }

    const commits = await commitsBetween(ctx, to, fromSlot.commit, toSlot.commit);
    const newer = isNewer(toSlot.version, fromSlot.version);
    const warnings: string[] = [];
    if (kind === 'release' && newer === false) warnings.push(`⚠ STANDBY ${slotLabel(to)} (${versionText(toSlot)}) is not newer than LIVE ${slotLabel(from)} (${versionText(fromSlot)}).`);
    if (toSlot.health !== 'up') warnings.push(`⚠ STANDBY ${slotLabel(to)} is NOT healthy: ${toSlot.healthDetail ?? toSlot.error ?? toSlot.health}.`);
    for (const d of before.drift) warnings.push(`⚠ ${d.message}`);
    // The switch runs in the LB's long-lived step shell: open it while the person reads the
    // dialog, so the time from confirmation to switch has no SSH session setup in it.
    void ctx.runner.run(lbHost(app), ':', { shortStep: true, timeoutMs: 15000 }).catch(() => undefined);
    const verb = kind === 'rollback' ? 'Roll back traffic' : 'Switch traffic';
    const answer = await ctx.confirm.confirm({
      title: `${verb} from ${slotLabel(from)} (${versionText(fromSlot)}) to ${slotLabel(to)} (${versionText(toSlot)})?`,
      detail: [
        `LIVE now: ${slotLabel(from)} ${versionText(fromSlot)} at ${fromSlot.commit?.slice(0, 7) ?? '?'} — ${fromSlot.health}`,
        `New LIVE: ${slotLabel(to)} ${versionText(toSlot)} at ${toSlot.commit?.slice(0, 7) ?? '?'} — ${toSlot.health}${toSlot.responseMs !== undefined ? ` (${toSlot.responseMs} ms)` : ''}`,
        commits.length ? `Commits:\n${commits.map((c) => `  ${c}`).join('\n')}` : fromSlot.commit === toSlot.commit ? 'Both slots run the same commit.' : '',
        ...warnings,
        `${slotLabel(from)} stays warm as STANDBY for rollback.`,
      ]
        .filter(Boolean)
        .join('\n'),
      action: o.emergency ? 'Emergency Switch' : kind === 'rollback' ? 'Roll Back' : 'Switch Traffic',
      typeToConfirm: o.emergency ? slotLabel(to) : undefined,
      askReason: o.emergency,
    });
    if (!answer.ok) throw new WorkflowError('declined', title, undefined, 'not confirmed', unchanged());
    if (o.emergency && !answer.reason?.trim()) throw new WorkflowError('refused', title, undefined, 'an emergency release needs a reason', unchanged());
    const confirmedAt = Date.now();

    // Compare before switching: the config must still route to the LIVE we showed. The state
    // file read here, under the lock, is the one the switch is recorded in.
    const now = await readLbFiles(ctx, unchanged());
    const routing = findRouting(now.config, app.loadBalancer.frontend, app.loadBalancer.acl);
    if (routing.backend !== app.slots[from].backend) {
      throw new WorkflowError('refused', title, app.loadBalancer.ssh, `LIVE changed since you confirmed (HAProxy now routes to ${routing.backend}); nothing was switched`, 'Check the status and try again.');
    }
    if (!lock.held) throw new WorkflowError('connection-lost', title, app.loadBalancer.ssh, 'the lock on the LB host was lost', unchanged());
    throwIfCancelled(ctx, unchanged());

    if (!backendExists(now.config, app.slots[to].backend)) {
      throw new WorkflowError('refused', title, app.loadBalancer.ssh, `${app.loadBalancer.config} has no backend "${app.slots[to].backend}" (${slotLabel(to)}'s backend in bluegreen.yaml); nothing was switched`, unchanged());
    }
    const next = withRouting(now.config, app.loadBalancer.frontend, app.loadBalancer.acl, app.slots[to].backend);
    await switchConfig(ctx, now.configSha256, next, unchanged, from);
    // Not cut short by Cancel: nothing is put back before HAProxy is seen serving the switch,
    // so an undo never races the reload it undoes.
    const verified = await verifyLive({ ...ctx, signal: undefined }, before, to);
    if (!verified.ok) {
      const back = await switchBack(ctx, before, from, to, 'Restore the previous HAProxy config');
      throw new WorkflowError('step-failed', 'Verify the new LIVE through the frontend', app.loadBalancer.ssh, verified.why, `The previous config was restored and reloaded: ${back}`);
    }
    if (ctx.signal?.aborted) {
      const back = await switchBack(ctx, before, from, to, 'Cancelled: restore the previous HAProxy config');
      throw new WorkflowError('aborted', title, app.loadBalancer.ssh, 'cancelled during the switch', `The switch was made, then undone: the previous config was restored and reloaded: ${back}`);
    }
    const switchMs = Date.now() - confirmedAt;
    ctx.reporter.info(`${slotLabel(to)} is LIVE, verified through the frontend ${switchMs} ms after confirmation`);
    const watching = frontendProbe(ctx, before, to) && app.release.watchSeconds > 0;
    ctx.onRouted?.(to, watching ? Date.now() + app.release.watchSeconds * 1000 : undefined);

    const record: SwitchRecord = { from, to, fromSlot, toSlot, kind, emergency: o.emergency, reason: answer.reason };
    const written = await writeState(ctx, now.state ?? {}, record);
    const stateWritten = written !== undefined;

    const failing = await watchLive(ctx, before, to);
    if (failing) {
      ctx.reporter.warn(`${slotLabel(to)} is failing after the switch; switching traffic back to ${slotLabel(from)} automatically`);
      const back = await switchBack(ctx, before, from, to, 'Switch back: restore the previous HAProxy config');
      await writeState(ctx, written ?? now.state ?? {}, { from: to, to: from, fromSlot: toSlot, toSlot: fromSlot, kind: 'auto-rollback', reason: failing });
      throw new WorkflowError('step-failed', `Watch ${slotLabel(to)}`, app.loadBalancer.ssh, failing, `Traffic was switched back automatically: ${back} The history records it.`);
    }
    if (watching) ctx.onRouted?.(to);
    ctx.reporter.info(`${slotLabel(to)} ${versionText(toSlot)} is LIVE; ${slotLabel(from)} ${versionText(fromSlot)} is STANDBY and stays warm for rollback.`);
    return { from, to, switchMs, verified: verified.ok, reason: answer.reason, stateWritten };
  } finally {
    await lock.release();
  }
}

/** Puts the previous config back, reloads, and checks through the frontend that `from` answers again. */
async function switchBack(ctx: OperationContext, before: AppSnapshot, from: SlotName, to: SlotName, title: string): Promise<string> {
  const { app } = ctx;
  await remoteStep(ctx, title, lbHost(app), restoreScript(app.loadBalancer), () => `HAProxy may still route to ${slotLabel(to)}: check the config on ${app.loadBalancer.ssh} now.`, { shortStep: true, runToEnd: true });
  const fromSlot = before.slots.find((s) => s.name === from)!;
  // Putting traffic back is itself what a Cancel asks for: it is not cut short.
  const back = await verifyLive({ ...ctx, signal: undefined }, before, from);
  if (back.ok) ctx.onRouted?.(from);
  return back.ok ? `LIVE is ${slotSummary(fromSlot)}.` : `the frontend does not answer from ${slotLabel(from)} yet (${back.why}): check HAProxy on ${app.loadBalancer.ssh} now.`;
}

async function commitsBetween(ctx: OperationContext, to: SlotName, fromCommit?: string, toCommit?: string): Promise<string[]> {
  if (!fromCommit || !toCommit || fromCommit === toCommit) return [];
  const s = ctx.app.slots[to];
  const range = `${fromCommit}..${toCommit}`;
  try {
    const r = await ctx.runner.run(slotHost(ctx.app, to), `cd ${shQuote(s.dir)} && git log --oneline --no-decorate -n 15 ${shQuote(range)}`, { signal: ctx.signal, timeoutMs: 15000, probe: true });
    return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  } catch {
    return [];
  }
}

async function switchConfig(ctx: OperationContext, sha: string, next: string, unchanged: () => string, from: SlotName): Promise<void> {
  const { app } = ctx;
  const lb = app.loadBalancer;
  const r = await remoteStep(ctx, `Switch ${lb.frontend}${lb.acl ? ` (${lb.acl})` : ''} and reload HAProxy`, lbHost(app), switchScript(lb, sha, next), unchanged, { allowFailure: true, shortStep: true, runToEnd: true });
  if (r.code === 0 && r.stdout.includes(RELOADED)) return;
  const why: Record<number, [string, string]> = {
    [SWITCH_EXIT.configChanged]: [`${lb.config} changed since it was read`, unchanged()],
    [SWITCH_EXIT.cannotStage]: [`cannot write the candidate config beside ${lb.config}`, unchanged()],
    [SWITCH_EXIT.invalid]: [`the candidate config failed validation (${lb.validate}): nothing was reloaded`, unchanged()],
    [SWITCH_EXIT.cannotReplace]: [`cannot replace ${lb.config}`, unchanged()],
    [SWITCH_EXIT.reloadFailed]: ['the reload failed; the previous config was put back and reloaded', `LIVE is ${slotLabel(from)}; check HAProxy on ${lb.ssh}.`],
  };
  const [detail, state] = why[r.code ?? -1] ?? [`exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}`, `The HAProxy config on ${lb.ssh} may have changed: check it.`];
  throw new WorkflowError('step-failed', 'Switch HAProxy', lb.ssh, detail, state, r.stderr.split('\n').slice(-10));
}

type ProbeOutcome = { ok: true; note: string } | { ok: false; why: string; oldAnswered?: string };

/** The config on disk is the one wanted; only whether HAProxy took it is in doubt. The next check tells. */
async function reloadAgain(ctx: OperationContext, why: string): Promise<void> {
  const lb = ctx.app.loadBalancer;
  ctx.reporter.warn(`${why}: HAProxy may have missed the reload signal; reloading again`);
  try {
    const r = await ctx.runner.run(lbHost(ctx.app), lb.reload, { shortStep: true, timeoutMs: 30000 });
    if (r.code !== 0) ctx.reporter.warn(`the reload on ${lb.ssh} exited with ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
  } catch (e) {
    ctx.reporter.warn(`the reload on ${lb.ssh} did not run: ${(e as Error).message}`);
  }
}

/** One request through the frontend, from the LB host: did the new LIVE answer it? */
function frontendProbe(ctx: OperationContext, before: AppSnapshot, to: SlotName): { url: string; probe: () => Promise<ProbeOutcome> } | undefined {
  const { app } = ctx;
  const base = app.loadBalancer.frontendUrl ?? app.url;
  if (!base) return undefined;
  const url = base.replace(/\/$/, '') + app.health.path;
  const hostHeader = app.loadBalancer.frontendUrl && app.url ? new URL(app.url).host : undefined;
  const target = before.slots.find((s) => s.name === to)!;
  const old = before.slots.find((s) => s.name !== to)!;
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
async function verifyLive(ctx: OperationContext, before: AppSnapshot, to: SlotName): Promise<{ ok: true } | { ok: false; why: string }> {
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
async function watchLive(ctx: OperationContext, before: AppSnapshot, to: SlotName): Promise<string | undefined> {
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

interface SwitchRecord {
  from: SlotName;
  to: SlotName;
  fromSlot: SlotSnapshot;
  toSlot: SlotSnapshot;
  kind: 'release' | 'rollback' | 'auto-rollback';
  emergency?: boolean;
  reason?: string;
}

/** The state after a switch: every field kept, roles and counters updated, history appended. */
export function nextState(raw: Record<string, unknown>, rec: SwitchRecord & { who: string; at: string }): Record<string, unknown> {
  const history = Array.isArray(raw.history) ? raw.history : [];
  const entry: Record<string, unknown> = {
    timestamp: rec.at,
    from: rec.from,
    to: rec.to,
    fromVersion: rec.fromSlot.version,
    toVersion: rec.toSlot.version,
    fromCommit: rec.fromSlot.commit,
    toCommit: rec.toSlot.commit,
    by: rec.who,
    kind: rec.kind,
  };
  if (rec.emergency) entry.emergency = true;
  if (rec.reason) entry.reason = rec.reason;
  return {
    ...raw,
    prod: rec.to,
    live: rec.to,
    standby: rec.from,
    lastSwitch: rec.at,
    switchCount: (typeof raw.switchCount === 'number' ? raw.switchCount : 0) + 1,
    history: [...history, entry],
  };
}

/** Writes the state after a switch; returns what it wrote, or undefined when it could not. */
async function writeState(ctx: OperationContext, raw: Record<string, unknown>, rec: SwitchRecord): Promise<Record<string, unknown> | undefined> {
  const { app } = ctx;
  const next = nextState(raw, { ...rec, who: ctx.who, at: new Date().toISOString() });
  try {
    await remoteStep(ctx, 'Record the switch in the state file', lbHost(app), writeStateScript(app.loadBalancer.stateFile, JSON.stringify(next, null, 2) + '\n'), () => `${slotLabel(rec.to)} is LIVE, but the state file was not updated (drift until reconciled).`, { shortStep: true, runToEnd: true });
    return next;
  } catch (e) {
    ctx.reporter.warn((e as Error).message);
    return undefined;
  }
}
