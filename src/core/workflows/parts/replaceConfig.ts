import { remote } from '../../remote/scripts';
import { fillTemplate } from '../../shell';
import { MARK_PREFIX } from '../../ssh/output';
import { SlotName } from '../../config/types';
import { lbHost } from '../../config/hostRefs';
import { AppSnapshot, slotLabel } from '../../status/snapshot';
import { slotSummary } from '../../status/describe';
import { configBase64 } from './lbFiles';
import { OperationContext, remoteStep, WorkflowError } from './operation';
import { verifyLive } from './verify';

const RELOADED = `${MARK_PREFIX}reloaded`;

/** Exit codes of the switch script (src/core/remote/scripts/switch.sh), each a distinct failure. */
const SWITCH_EXIT = { configChanged: 30, cannotStage: 31, invalid: 10, sessionGone: 33, cannotReplace: 32, reloadFailed: 20 } as const;

/**
 * Replaces haproxy.cfg with `next` and reloads, the one way any change reaches the LB: only
 * if the file still has `expectedSha256`, after the candidate passes `validate`, by an atomic
 * rename that keeps the previous file, and with the previous file put back and reloaded when
 * the reload fails. `unchanged`: the state when nothing was replaced; `afterFailedReload`:
 * the state once the previous config is back.
 */
export async function replaceConfig(ctx: OperationContext, title: string, expectedSha256: string, next: string, unchanged: () => string, afterFailedReload: string): Promise<void> {
  const lb = ctx.app.loadBalancer;
  // With the connection gone mid-step, its outcome is not known here: the script stops before
  // replacing the file once its session is gone, but may have passed that point already.
  const unknown = () => `The connection to ${lb.ssh} dropped during this step, so whether HAProxy's config was replaced is not known: the status shows what HAProxy routes (drift if it changed); check it, then reconcile.`;
  const r = await remoteStep(ctx, title, lbHost(ctx.app), remote.switchConfig(lb.config, expectedSha256, configBase64(next), fillTemplate(lb.validate, { file: `${lb.config}.bluegreen-new` }), lb.reload, RELOADED), unchanged, { allowFailure: true, lane: 'step', runToEnd: true }).catch((e: unknown) => {
    if (e instanceof WorkflowError && e.reason === 'connection-lost') throw new WorkflowError('connection-lost', title, lb.ssh, e.detail, unknown(), e.lastLines, { cause: e });
    throw e;
  });
  if (r.code === 0 && r.stdout.includes(RELOADED)) return;
  const why: Record<number, [string, string]> = {
    [SWITCH_EXIT.configChanged]: [`${lb.config} changed since it was read`, unchanged()],
    [SWITCH_EXIT.cannotStage]: [`cannot write the candidate config beside ${lb.config}`, unchanged()],
    [SWITCH_EXIT.invalid]: [`the candidate config failed validation (${lb.validate}): nothing was reloaded`, unchanged()],
    [SWITCH_EXIT.sessionGone]: ['the session that asked for the change ended first', unchanged()],
    [SWITCH_EXIT.cannotReplace]: [`cannot replace ${lb.config}`, unchanged()],
    [SWITCH_EXIT.reloadFailed]: ['the reload failed; the previous config was put back and reloaded', afterFailedReload],
  };
  const [detail, state] = why[r.code ?? -1] ?? [`exit code ${r.code}${r.signal ? ` (${r.signal})` : ''}`, `The HAProxy config on ${lb.ssh} may have changed: check it.`];
  throw new WorkflowError('step-failed', title, lb.ssh, detail, state, r.stderr.split('\n').slice(-10));
}

/**
 * Puts the config kept by the last replacement back, reloads, and checks through the
 * frontend that `live` serves again. Returns the state now, in one sentence.
 */
export async function restorePreviousConfig(ctx: OperationContext, before: AppSnapshot, live: SlotName, title: string, ifRestoreFails: string): Promise<string> {
  const { app } = ctx;
  await remoteStep(ctx, title, lbHost(app), remote.restore(app.loadBalancer.config, app.loadBalancer.reload), () => ifRestoreFails, { lane: 'step', runToEnd: true });
  // Putting traffic back is itself what a Cancel asks for: it is not cut short.
  const back = await verifyLive({ ...ctx, signal: undefined }, before, live, false);
  if (back.ok) ctx.onRouted?.(live);
  return back.ok ? `LIVE is ${slotSummary(before.slots[live])}.` : `the frontend does not answer from ${slotLabel(live)} yet (${back.why}): check HAProxy on ${app.loadBalancer.ssh} now.`;
}
