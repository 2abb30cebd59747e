import * as path from 'node:path';
import { AppConfig, SlotName } from '../config/types';
import { BlueGreenError, isBlueGreenError } from '../errors';
import { fillTemplate, GIT_REF } from '../shell';
import { lbHost, serverHost, slotHost } from '../config/hostRefs';
import { overridden, preflight } from '../plan/preflight';
import { emergencyReason } from '../plan/confirm';
import { redact } from '../redact';
import { readStagingEvidence } from './parts/stagingEvidence';
import { recordStagingSkipped } from './parts/stagingSkipped';
import { deployConfirmation, migrationsConfirmation } from '../plan/render';
import { Intent, Plan, UnsafeMigrationPolicy } from '../plan/types';
import { HostRef } from '../ssh/runner';
import { snapshotApp } from '../status/refresh';
import { smokeFailures } from '../status/smoke';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { liveUnchanged, slotSummary, standbyRuns } from '../status/describe';
import { acquireLock, HeldLock } from './parts/lock';
import { refuseUnaskedSwitch } from './parts/routingAfter';
import { enforce } from './parts/enforce';
import { MigrationsBetween, readMigrations } from './parts/migrationGate';
import { runDeploySteps } from './parts/deploySteps';
import { readTargetCommit } from './parts/targetCommit';
import { localStep, OperationContext, remoteStep, steady, WorkflowError } from './parts/operation';

export interface DeployOptions {
  /** Branch, tag or commit; default: the slot's branch tip on the remote. */
  ref?: string;
  /** Run the configured migrate command. */
  migrate?: boolean;
  /** The slot the person aimed at (a tree item); refused if it is LIVE. */
  target?: SlotName;
  /** The lock of a flow that already holds it (sync). */
  lock?: HeldLock;
  /** false: no `git fetch`; without a ref, STANDBY's checked-out commit is built again. */
  fetch?: boolean;
  /** false: no backup of the release, and no backup hooks. */
  backup?: boolean;
  operation?: string;
  /** Migrations that break a rollback to LIVE: see UnsafeMigrationPolicy. */
  unsafeMigrations?: UnsafeMigrationPolicy;
  /**
   * false: the dialog is not shown (a sync or a bump confirmed already), so the target commit
   * is not read ahead of it.
   */
  preview?: boolean;
  /**
   * Go past the promotion gate (staging.required) for a commit staging did not pass: the person
   * gives a reason, recorded in the history before STANDBY is touched.
   */
  skipStaging?: boolean;
  /** What the dialog calls the ref ("what staging passed"); default: the ref itself. */
  shown?: string;
}

export interface DeployResult {
  slot: SlotName;
  commit: string;
  version?: string;
  live: SlotName;
  durationMs: number;
  /** The outcome in one sentence, ending with the state now; every front end shows this. */
  summary: string;
  /** Why STANDBY may not be released yet: its failing smoke tests. */
  smokeFailed?: string;
}

/**
 * Before migrations run on the database LIVE uses: the files they come from, and a second yes
 * when they change anything (typed when a statement breaks a rollback to LIVE).
 */
async function confirmMigrations(ctx: OperationContext, before: AppSnapshot, g: MigrationsBetween & { policy?: UnsafeMigrationPolicy; title: string; unchanged: string }): Promise<void> {
  const migrations = await readMigrations(ctx, g);
  if (!migrations?.report?.files.length && !migrations?.report?.unavailable) return;
  const plan = preflight(before, ctx.app, { kind: 'deploy', unsafeMigrations: g.policy }, { migrations });
  enforce(plan, g.title, g.unchanged);
  const answer = await ctx.confirm.confirm(migrationsConfirmation(plan, ctx.app));
  if (!answer.ok) throw new WorkflowError('declined', 'Run migrations', undefined, 'not confirmed', `${g.unchanged} No migration ran.`);
}

export function validateRef(ref: string): string {
  if (/^[0-9a-f]{7,40}$/i.test(ref) || GIT_REF.test(ref)) return ref;
  throw new BlueGreenError('unsafe-value', `"${ref}" is not a branch, tag or commit name (letters, digits, _ . / -; no spaces, "..", or leading "-")`);
}

/** Figures out LIVE afresh and refuses to touch it: the slot a deploy or a sync may change. */
export function planOnStandby(app: AppSnapshot, config: AppConfig, intent: Intent, operation: string): Plan {
  const plan = preflight(app, config, intent);
  enforce(plan, operation, liveUnchanged(app));
  return plan;
}

export async function deploy(given: OperationContext, o: DeployOptions = {}): Promise<DeployResult> {
  const ctx = steady(given);
  const { app } = ctx;
  const operation = o.operation ?? 'Deploy';
  if (o.ref) validateRef(o.ref);
  if (o.migrate && !app.deploy.migrate) throw new WorkflowError('refused', operation, undefined, 'migrations were asked for, but deploy.migrate is not configured', 'Nothing was changed.');
  const ownLock = o.lock ? undefined : await acquireLock(ctx, `deploy${o.ref ? ` ${o.ref}` : ''}`, 'Nothing was changed.');
  const lock = o.lock ?? ownLock;
  try {
    const before = await localStep(ctx, 'Detect roles', () => snapshotApp(ctx.runner, app, ctx.signal));
    const plan = planOnStandby(before, app, { kind: 'deploy', target: o.target, migrate: o.migrate, skipStaging: o.skipStaging }, operation);
    const [live, slot] = [plan.live!, plan.target!];
    await refuseIfOneMachine(ctx, slot, live, operation, liveUnchanged(before));
    const { ref, commit } = await confirmDeploy(ctx, plan, o, operation);
    // The time a deploy takes is its work's, not the time the dialog was open.
    const started = Date.now();
    const result = await checkedRouting(ctx, before, operation, () => deploySteps(ctx, o, { before, plan, ref, commit, lock, operation, started }));
    ctx.reporter.info(result.summary);
    ctx.onDeployed?.(result.slot, result.commit);
    return result;
  } finally {
    await ownLock?.release();
  }
}

/** The operation, then each LB's routing read again: a failure or a success says "LIVE is unchanged" only when it is. */
async function checkedRouting<T>(ctx: OperationContext, before: AppSnapshot, operation: string, body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (e) {
    if (!isBlueGreenError(e, 'routing-changed')) await refuseUnaskedSwitch(ctx, before, operation, e);
    throw e;
  }
  await refuseUnaskedSwitch(ctx, before, operation);
  return result;
}

async function deploySteps(ctx: OperationContext, o: DeployOptions, d: { before: AppSnapshot; plan: Plan; ref: string; commit?: string; lock: HeldLock | undefined; operation: string; started: number }): Promise<DeployResult> {
  const { app } = ctx;
  const { before, plan, ref, lock, operation, started } = d;
  const [live, slot] = [plan.live!, plan.target!];
  const stateNow = () => `${liveUnchanged(before)} ${slotLabel(slot)} (STANDBY) may be partly deployed.`;
  const { servers } = app.slots[slot];
  const target = { label: slotLabel(slot), servers, branch: app.slots[slot].branch ?? app.deploy.branch, slot, operation, lock, lockHost: { ssh: app.loadBalancer.ssh, is: 'LB host' }, guarded: 'STANDBY', stateNow };
  const { commit, version, smoke } = await runDeploySteps(ctx, target, {
    ref,
    commit: d.commit,
    shown: d.commit && d.commit !== ref ? `${ref} at ${d.commit.slice(0, 7)}` : ref,
    fetch: o.fetch !== false,
    backup: o.backup !== false,
    migrate: !!o.migrate,
    afterBackup: (steps) => runHooks(ctx, 'backup', slot, stateNow, steps.guard, before, operation),
    checkedOut: async (at) => {
      if (o.migrate) await confirmMigrations(ctx, before, { title: operation, repoSlot: slot, from: before.slots[live], to: { name: slot, commit: at }, policy: o.unsafeMigrations, unchanged: stateNow() });
    },
    beforeMigrate: (steps) => runHooks(ctx, 'beforeMigrate', slot, stateNow, steps.guard, before, operation),
  });
  const smokeFailed = smokeFailures(smoke);
  const summary = `${standbyRuns(slot, version, commit)}${servers.length > 1 ? ` on all ${servers.length} servers` : ''}${smokeFailed ? `, but ${smokeFailed}: a release to it is refused` : smoke ? `, passing its ${smoke.length} smoke test(s)` : ''}. ${liveUnchanged(before)}`;
  return { slot, commit, version, live, durationMs: Date.now() - started, summary, smokeFailed };
}

/** The person's yes to the deploy; `commit`: the exact commit the dialog named, when it read one. */
async function confirmDeploy(ctx: OperationContext, plan: Plan, o: DeployOptions, operation: string): Promise<{ ref: string; commit?: string }> {
  const { app } = ctx;
  const slot = plan.target!;
  const hostsText = app.slots[slot].servers.map((s) => s.ssh).join(', ');
  const branch = app.slots[slot].branch ?? app.deploy.branch;
  const redeploy = o.fetch === false && !o.ref;
  const standby = plan.targetSlot!;
  if (redeploy && !standby.commit) throw new WorkflowError('refused', operation, hostsText, `cannot read the commit ${slotLabel(slot)} runs${standby.serversDisagree ? ` (${standby.serversDisagree})` : ''}, so it cannot be built again without a fetch`, liveUnchanged(plan.snapshot));
  const ref = redeploy ? standby.commit! : o.ref ?? branch;
  const nothing = `Nothing was changed. ${liveUnchanged(plan.snapshot)}`;
  // The promotion gate judges the exact commit: read ahead even when no dialog shows it, unless the ref is one.
  const exact = redeploy ? standby.commit : FULL_COMMIT.test(ref) ? ref : undefined;
  const target = redeploy || (o.preview === false && (exact || !app.staging?.required)) ? undefined : await readTargetCommit(ctx, app.slots[slot].servers[0], ref, () => nothing);
  const judged = await withStagingEvidence(ctx, plan, target?.commit ?? exact, operation);
  const asked = deployConfirmation(judged, app, o.shown ?? (ref === branch && !o.ref ? `${app.deploy.remote}/${branch}` : ref), target);
  const answer = await ctx.confirm.confirm(asked);
  if (!answer.ok) throw new WorkflowError('declined', operation, undefined, 'not confirmed', 'Nothing was changed.');
  const overrode = overridden(judged);
  if (asked.askReason) {
    const reason = emergencyReason(answer.reason);
    if (!reason || !overrode) throw new WorkflowError('refused', operation, undefined, 'a deploy that skips staging needs a reason (--reason TEXT)', nothing);
    await recordStagingSkipped(ctx, { slot, commit: (target?.commit ?? exact)!, version: target?.version, reason: redact(reason), overrode, approvedVia: answer.via }, nothing);
    ctx.reporter.warn(`Staging skipped for ${(target?.commit ?? exact)!.slice(0, 7)}: ${reason} (recorded in the history)`);
  }
  ctx.reporter.info(`LIVE is ${slotSummary(plan.liveSlot)}; deploying ${target ? `${target.commit.slice(0, 7)} ` : ''}to STANDBY ${slotLabel(slot)} on ${hostsText}`);
  return { ref, commit: target?.commit };
}

const FULL_COMMIT = /^[0-9a-f]{40}$/;

/**
 * The plan judged again with what staging's record says of the commit STANDBY is to run. A
 * commit LIVE runs is in production already (a sync brings STANDBY to it): there is nothing for
 * staging to prove, so it is not looked up.
 */
async function withStagingEvidence(ctx: OperationContext, plan: Plan, commit: string | undefined, operation: string): Promise<Plan> {
  if (!ctx.app.staging || !commit || commit === plan.liveSlot?.commit) return plan;
  const staging = await localStep(ctx, 'Read the staging record', () => readStagingEvidence(ctx.runner, ctx.app, commit, ctx.signal));
  const judged = preflight(plan.snapshot, ctx.app, plan.intent, { staging });
  enforce(judged, operation, liveUnchanged(plan.snapshot));
  return judged;
}

function hookHost(ctx: OperationContext, name: string, standby: SlotName): HostRef {
  if (name === 'standby') return slotHost(ctx.app, standby);
  if (name === 'lb') return lbHost(ctx.app);
  const h = ctx.app.hosts?.[name];
  if (!h) throw new WorkflowError('refused', 'Hook', undefined, `hook host "${name}" is not defined`, 'Nothing was changed.');
  return { ssh: h.ssh, via: h.via };
}

/**
 * Hooks on other hosts (a database dump before migrations, say), each streamed like any step. A
 * hook runs any command on any host: the routing is read again after each, and the deploy stops,
 * before it touches STANDBY further, if it changed.
 */
async function runHooks(ctx: OperationContext, phase: 'backup' | 'beforeMigrate', slot: SlotName, stateNow: () => string, guard: () => void, before: AppSnapshot, operation: string): Promise<void> {
  const s = ctx.app.slots[slot].servers[0];
  for (const hook of ctx.app.deploy.hooks?.[phase] ?? []) {
    guard();
    const title = `${phase === 'backup' ? 'Backup' : 'Before-migrate'} hook on ${hook.host}`;
    await remoteStep(ctx, title, hookHost(ctx, hook.host, slot), fillTemplate(hook.run, { pm2: s.pm2, dir: s.dir, slot, app: ctx.app.name }), stateNow);
    await refuseUnaskedSwitch(ctx, before, operation);
  }
}

/**
 * Two aliases can name one machine, which the config's check of the written names cannot see:
 * resolved through ssh_config, STANDBY on LIVE's machine with LIVE's checkout or pm2 process
 * would change LIVE, so nothing runs.
 */
async function refuseIfOneMachine(ctx: OperationContext, standby: SlotName, live: SlotName, operation: string, stateNow: string): Promise<void> {
  const [standbys, lives] = [ctx.app.slots[standby].servers, ctx.app.slots[live].servers];
  const where = new Map(await Promise.all([...standbys, ...lives].map(async (s) => [s, await ctx.runner.whereIs(serverHost(s))] as const)));
  for (const s of standbys) {
    for (const l of lives) {
      if (where.get(s) !== where.get(l)) continue;
      const sameDir = path.posix.normalize(`${s.dir}/`) === path.posix.normalize(`${l.dir}/`);
      if (!sameDir && s.pm2 !== l.pm2) continue;
      const shared = sameDir ? `the checkout ${l.dir}` : `the pm2 process "${l.pm2}"`;
      throw new WorkflowError('refused', operation, s.ssh, `${slotLabel(standby)} (${s.ssh}) and LIVE ${slotLabel(live)} (${l.ssh}) are one machine (${where.get(l)}) and share ${shared}: a deploy to STANDBY would change LIVE. Give the slots their own machines, dirs and pm2 processes in bluegreen.yaml`, stateNow);
    }
  }
}
