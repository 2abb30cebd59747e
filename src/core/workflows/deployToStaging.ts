import * as path from 'node:path';
import { serverHost } from '../config/hostRefs';
import { ServerConfig, SLOT_NAMES, StagingConfig } from '../config/types';
import { errorMessage } from '../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { stagingConfirmation } from '../plan/render';
import { redact } from '../redact';
import { remote } from '../remote/scripts';
import { renderStagingRecord, StagingEntry, stagingFiles, stagingFromRead, stagingReadScript, withEntry } from '../state/stagingRecord';
import { smokeFailures } from '../status/smoke';
import { validateRef } from './deploy';
import { healthStepTitle, runDeploySteps } from './parts/deploySteps';
import { acquireLock } from './parts/lock';
import { readTargetCommit } from './parts/targetCommit';
import { OperationContext, remoteStep, steady, WorkflowError } from './parts/operation';
import { Announced, announcing, Announcements } from '../notify/announce';
import { sides } from '../notify/event';

const OPERATION = 'Deploy to staging';
const NOTHING = 'Nothing was changed.';

export interface StagingDeployOptions {
  /** Branch, tag or commit; default: staging's branch tip on the remote. */
  ref?: string;
  migrate?: boolean;
}

export interface StagingDeployResult {
  passed: boolean;
  entry: StagingEntry;
  /** The outcome in one sentence; every front end shows this. */
  summary: string;
}

/**
 * The deploy's own steps on the app's staging servers, under staging's own lock on its first
 * server: nothing here reads or changes the load balancer or a slot, so production's lock is
 * not taken (a release may run meanwhile). The outcome, passed or failed, is recorded there.
 * A failed step throws after it is recorded; failing smoke tests are a failed staging, returned.
 */
export async function deployToStaging(given: OperationContext, o: StagingDeployOptions = {}): Promise<StagingDeployResult> {
  const ctx = steady(given);
  return announcing(ctx, (announcements) => deployUnderLock(ctx, o, announcements));
}

async function deployUnderLock(ctx: OperationContext, o: StagingDeployOptions, announcements: Announcements): Promise<StagingDeployResult> {
  const { app } = ctx;
  const staging = app.staging;
  if (!staging) throw new WorkflowError('refused', OPERATION, undefined, `${app.name} has no staging: in bluegreen.yaml`, NOTHING);
  if (o.ref) validateRef(o.ref);
  if (o.migrate && !app.deploy.migrate) throw new WorkflowError('refused', OPERATION, undefined, 'migrations were asked for, but deploy.migrate is not configured', NOTHING);
  await refuseSlotMachines(ctx, staging);
  const ref = o.ref ?? staging.branch;
  const first = staging.servers[0];
  const files = stagingFiles(first.dir, app.name);
  const lock = await acquireLock(ctx, `deploy ${ref} to staging`, NOTHING, { host: serverHost(first), name: first.name, file: files.lock, folder: files.folder });
  try {
    // Read (after a fetch) before the person is asked: the dialog names the exact commit that is then checked out.
    const target = await readTargetCommit(ctx, first, ref, () => NOTHING);
    const answer = await ctx.confirm.confirm(stagingConfirmation(app, ref, target, !!o.migrate));
    if (!answer.ok) throw new WorkflowError('declined', OPERATION, undefined, 'not confirmed', NOTHING);
    ctx.reporter.info(`Deploying ${target.commit.slice(0, 7)} (${ref}) to staging on ${staging.servers.map((s) => s.ssh).join(', ')}`);
    const started = Date.now();
    const ended = (e: Omit<StagingEntry, 'ref' | 'at' | 'who' | 'durationMs'>): StagingEntry => ({ ...e, ref, at: new Date().toISOString(), who: ctx.who, durationMs: Date.now() - started });
    // Staging's health and smoke tests (the app's unless it names its own) are what the steps check.
    const stagingCtx: OperationContext = { ...ctx, app: { ...app, health: staging.health, smoke: staging.smoke } };
    const stateNow = () => 'The load balancer and the slots are unchanged; staging may be partly deployed.';
    let entry: StagingEntry;
    try {
      const r = await runDeploySteps(stagingCtx, { label: 'staging', servers: staging.servers, branch: staging.branch, slot: 'staging', operation: OPERATION, lock, lockHost: { ssh: first.ssh, is: 'staging host' }, guarded: 'staging', stateNow }, { ref, commit: target.commit, shown: `${ref} at ${target.commit.slice(0, 7)}`, fetch: true, backup: true, migrate: !!o.migrate });
      const smokeFailed = smokeFailures(r.smoke);
      entry = ended({ commit: r.commit, ...(r.version ? { version: r.version } : {}), passed: !smokeFailed, health: 'passed', ...(r.smoke ? { smoke: r.smoke.map((c) => ({ ...c, detail: fromHost(c.detail, HOST_TEXT_LIMITS.line) })) } : {}), ...(smokeFailed ? { failedStep: 'Smoke tests on staging', detail: smokeFailed } : {}) });
    } catch (e) {
      const step = e instanceof WorkflowError ? e.step : OPERATION;
      const failed = ended({ commit: target.commit, ...(target.version ? { version: target.version } : {}), passed: false, failedStep: step, detail: fromHost(e instanceof WorkflowError ? e.detail : errorMessage(e), HOST_TEXT_LIMITS.detail), ...(step === healthStepTitle('staging') ? { health: 'failed' as const } : {}), ...(ctx.signal?.aborted ? { cancelled: true } : {}) });
      // Without the lock another deploy may be writing the record: it is left to that one.
      if (lock.held) await record(ctx, first, files.record, failed).catch((w: unknown) => ctx.reporter.warn(`The failure was not recorded on ${first.name}: ${errorMessage(w)}`));
      // A deploy someone cancelled is not news for the team: it failed nothing.
      if (!failed.cancelled) announcements.send(stagingEvent(failed));
      throw e;
    }
    await record(ctx, first, files.record, entry);
    announcements.send(stagingEvent(entry));
    // A follow asks for the commit itself: naming it twice says nothing more.
    const asked = ref === entry.commit ? '' : ` (${ref})`;
    const summary = `Staging runs ${entry.version ? `v${entry.version} ` : ''}${entry.commit!.slice(0, 7)}${asked}: ${entry.passed ? `passed${entry.smoke ? `, with its ${entry.smoke.length} smoke test(s)` : ''}` : `FAILED: ${entry.detail}`}; recorded on ${first.name}. The load balancer and the slots are unchanged.`;
    ctx.reporter.info(summary);
    return { passed: entry.passed, entry, summary };
  } finally {
    await lock.release();
  }
}

/** What webhooks are told of a staging deploy's outcome. */
function stagingEvent(entry: StagingEntry): Announced {
  return { event: entry.passed ? ('staging-passed' as const) : ('staging-failed' as const), to: 'staging', versions: sides(undefined, entry.version), commits: sides(undefined, entry.commit), who: entry.who, ...(entry.failedStep ? { failedStep: entry.failedStep } : {}), ...(entry.detail ? { detail: entry.detail } : {}) };
}

/** Reads the record, puts the entry first, writes it atomically (write-state.sh): one read, one write, both done after a Cancel too. */
async function record(ctx: OperationContext, server: ServerConfig, file: string, entry: StagingEntry): Promise<void> {
  const read = await ctx.runner.run(serverHost(server), stagingReadScript(file), { lane: 'probe', timeoutMs: 20000 });
  const state = stagingFromRead(read.code, read.stdout);
  // An unreadable record is started again rather than blocking every later deploy; the old one is kept beside it.
  const previous = state.kind === 'ok' ? state.record : undefined;
  const keep = state.kind === 'unreadable' ? `${file}.unreadable` : undefined;
  const text = renderStagingRecord(withEntry(previous, ctx.app.name, { ...entry, ...(entry.detail ? { detail: redact(entry.detail) } : {}) }));
  await remoteStep(ctx, 'Record the outcome on staging', serverHost(server), remote.writeState(file, Buffer.from(text).toString('base64'), keep), () => 'The outcome was not recorded.', { label: server.name, runToEnd: true });
}

/**
 * Two aliases can name one machine, which the config's check of the written names cannot see:
 * a staging server that, resolved, is a slot's checkout or pm2 process would change that slot.
 */
async function refuseSlotMachines(ctx: OperationContext, staging: StagingConfig): Promise<void> {
  const slotServers = SLOT_NAMES.flatMap((slot) => ctx.app.slots[slot].servers.map((s) => ({ slot, s })));
  const machines = (hosts: readonly ServerConfig[]) => Promise.all(hosts.map((h) => ctx.runner.whereIs(serverHost(h))));
  const [ours, theirs] = await Promise.all([machines(staging.servers), machines(slotServers.map((x) => x.s))]);
  staging.servers.forEach((st, i) => {
    slotServers.forEach(({ slot, s }, j) => {
      if (ours[i] !== theirs[j]) return;
      const sameDir = path.posix.normalize(`${st.dir}/`) === path.posix.normalize(`${s.dir}/`);
      if (!sameDir && st.pm2 !== s.pm2) return;
      throw new WorkflowError('refused', OPERATION, st.ssh, `staging's ${st.ssh} and ${slot.toUpperCase()}'s ${s.ssh} are one machine (${ours[i]}) and share ${sameDir ? `the checkout ${s.dir}` : `the pm2 process "${s.pm2}"`}: a deploy to staging would change a slot. Give staging its own machine, dir and pm2 process in bluegreen.yaml`, NOTHING);
    });
  });
}
