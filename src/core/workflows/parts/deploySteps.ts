// The steps of a deploy, on whichever servers it is aimed at: STANDBY's (deploy.ts) or
// staging's (deployToStaging.ts). One sequence, so the two never drift apart.
import * as path from 'node:path';
import { healthTarget } from '../../config/hostRefs';
import { ServerConfig, SlotName } from '../../config/types';
import { errorMessage, isBlueGreenError } from '../../errors';
import { remote } from '../../remote/scripts';
import { fillTemplate, shQuote } from '../../shell';
import { MARK_PREFIX } from '../../ssh/output';
import { parseHealthBody } from '../../status/parse';
import { runSmoke } from '../../status/smoke';
import { SmokeResult } from '../../status/snapshot';
import { HeldLock } from './lock';
import { onServers } from './onServers';
import { localStep, OperationContext, throwIfCancelled, WorkflowError } from './operation';
import { standbySteps, StandbySteps } from './standbySteps';

/** Which servers a deploy works on, and under which lock. */
export interface DeployTarget {
  /** What the steps call them: "BLUE", "staging". */
  label: string;
  servers: readonly ServerConfig[];
  /** The branch a fetch of a ref updates. */
  branch: string;
  /** `{slot}` in the commands: the slot's name, or `staging`. */
  slot: SlotName | 'staging';
  /** The operation, for the error when the lock is lost. */
  operation: string;
  lock?: HeldLock;
  /** Where the lock is held, for the error when it is lost. */
  lockHost: { ssh: string; is: string };
  /** What the lock keeps other operations off ("STANDBY", "staging"). */
  guarded: string;
  stateNow(): string;
}

export interface DeployStepOptions {
  /** The ref to build, and the exact commit the person was shown, when one was read. */
  ref: string;
  commit?: string;
  /** How the checkout step names what it checks out. */
  shown: string;
  fetch: boolean;
  backup: boolean;
  migrate: boolean;
  /** After the code backup (the backup hooks). */
  afterBackup?(steps: StandbySteps): Promise<void>;
  /** Once the commit is checked out, before anything is installed (the migrations' second yes). */
  checkedOut?(commit: string): Promise<void>;
  /** Before the migrate command (the before-migrate hooks). */
  beforeMigrate?(steps: StandbySteps): Promise<void>;
}

export interface DeployedSteps {
  commit: string;
  version?: string;
  /** Undefined when the app has no smoke tests. */
  smoke?: SmokeResult[];
}

/** A command from bluegreen.yaml as a step runs it: in the server's checkout, its placeholders filled (pm2, dir and `values`). */
export function inCheckout(s: ServerConfig, template: string, values: Record<string, string>): string {
  return `cd ${shQuote(s.dir)} || exit 1\n${fillTemplate(template, { pm2: s.pm2, dir: s.dir, ...values })}`;
}

/** The title of the health step: a failure there is a failed health check (the staging record says so). */
export function healthStepTitle(label: string): string {
  return `Wait for ${label} to be healthy`;
}

/**
 * Backup, fetch and check out the exact commit, install, migrate (only when asked), build,
 * restart, wait for health, smoke: each step on every server of the target, guarded by its lock.
 * Health and smoke follow `ctx.app` (staging passes its own).
 */
export async function runDeploySteps(ctx: OperationContext, t: DeployTarget, o: DeployStepOptions): Promise<DeployedSteps> {
  const { app } = ctx;
  const steps = standbySteps(ctx, { lock: t.lock, operation: t.operation, servers: t.servers, lockHost: t.lockHost, target: t.guarded, stateNow: t.stateNow });
  const { everywhere, on, stateNow } = steps;
  const { servers } = t;

  if (o.backup && app.deploy.keepBackups > 0) {
    await everywhere((s) => on(s, 'Back up the current release', remote.backup(s.dir, backupsOf(s.dir), app.deploy.keepBackups)));
  }
  if (o.backup) await o.afterBackup?.(steps);
  const commit = await checkOutEverywhere(steps, o.commit ?? o.ref, t.branch, o.fetch, o.shown);
  await o.checkedOut?.(commit);

  const command = (s: ServerConfig, template: string) => inCheckout(s, template, { slot: t.slot, commit, ref: o.ref });
  await everywhere((s) => on(s, 'Install dependencies', command(s, app.deploy.install)));
  if (o.migrate && app.deploy.migrate) {
    await o.beforeMigrate?.(steps);
    // One database: the migrations run once, from the first server.
    await on(servers[0], 'Run migrations', command(servers[0], app.deploy.migrate));
  }
  await everywhere((s) => on(s, 'Build', command(s, app.deploy.build)));
  await everywhere((s) => on(s, `Restart ${s.pm2}`, command(s, app.deploy.restart)));

  steps.guard();
  const versions = await localStep(ctx, healthStepTitle(t.label), () => everywhere((s) => waitHealthy(ctx, s, t.label, commit, stateNow)));
  const smoke = app.smoke.length ? await localStep(ctx, `Smoke tests on ${t.label}`, () => smokeStep(ctx, servers)) : undefined;
  return { commit, version: versions[0], smoke };
}

const COMMIT_MARK = `${MARK_PREFIX}commit`;

/** Fetches and checks out `ref` on every server; all end on the first one's commit. */
async function checkOutEverywhere(steps: StandbySteps, ref: string, branch: string, fetch: boolean, shown: string): Promise<string> {
  const { app, servers, on, everywhere, stateNow } = steps;
  const checkout = (s: ServerConfig, wanted: string, title: string) => on(s, title, remote.fetch(s.dir, app.deploy.remote, wanted, branch, COMMIT_MARK, fetch)).then((r) => new RegExp(`^${COMMIT_MARK} ([0-9a-f]{40})$`, 'm').exec(r.stdout)?.[1]);
  const commits = await everywhere((s) => checkout(s, ref, `${fetch ? 'Fetch and check out' : 'Check out'} ${shown}`));
  const commit = commits[0];
  if (!commit || commits.some((c) => !c)) throw new WorkflowError('step-failed', `Check out ${shown}`, servers[commits.findIndex((c) => !c)].name, 'git did not report the checked-out commit', stateNow());
  // A branch that moved between two servers' fetches: every server runs the first one's commit.
  const behind = servers.filter((_, i) => commits[i] !== commit);
  if (behind.length) await onServers(behind, app.deploy.parallel, (s) => checkout(s, commit, `Check out ${commit.slice(0, 7)} (the commit ${servers[0].name} got)`));
  return commit;
}

function backupsOf(dir: string): string {
  return `${path.posix.dirname(dir)}/.bluegreen-backups/${path.posix.basename(dir)}`;
}

/** Runs the smoke checks on each freshly deployed server, a line each. */
async function smokeStep(ctx: OperationContext, servers: readonly ServerConfig[]): Promise<SmokeResult[]> {
  const perServer = await Promise.all(servers.map((server) => runSmoke(ctx.runner, ctx.app, server, ctx.signal)));
  return perServer.flatMap((results, i) => {
    const server = servers[i];
    for (const r of results) ctx.reporter.line(server.name, `${r.ok ? '✓' : '✗'} ${r.name}: ${r.detail}`, r.ok ? 'stdout' : 'stderr');
    return servers.length > 1 ? results.map((r) => ({ ...r, name: `${server.name}: ${r.name}` })) : results;
  });
}

/** Polls a server's health until it answers 200 (and, when it reports one, the new commit). */
export async function waitHealthy(ctx: OperationContext, server: ServerConfig, label: string, commit: string | undefined, stateNow: () => string): Promise<string | undefined> {
  const { app } = ctx;
  const { from, url } = healthTarget(app, server);
  let last = '';
  for (let attempt = 1; attempt <= app.health.attempts; attempt++) {
    throwIfCancelled(ctx, stateNow());
    try {
      const r = await ctx.runner.httpGet(from, url, { timeoutMs: app.health.timeoutMs, signal: ctx.signal });
      const body = parseHealthBody(r.body);
      if (r.status === 200 && (!commit || !body.commit || body.commit === commit)) {
        ctx.reporter.line(server.name, `healthy after ${attempt} check(s): HTTP 200 in ${r.ms} ms${body.version ? `, version ${body.version}` : ''}`, 'stdout');
        return body.version;
      }
      last = r.status === 200 ? `still reports commit ${body.commit?.slice(0, 7)}` : `HTTP ${r.status}`;
    } catch (e) {
      // Refused or silent while the app starts: expected for a few checks, and said plainly.
      last = isBlueGreenError(e, 'connect-failed') || isBlueGreenError(e, 'timeout') ? 'not answering yet' : errorMessage(e);
    }
    ctx.reporter.line(server.name, `check ${attempt}/${app.health.attempts}: ${last}`, 'stderr');
    if (attempt < app.health.attempts) await new Promise((r) => setTimeout(r, app.health.intervalMs));
  }
  throw new WorkflowError('step-failed', healthStepTitle(label), server.name, `not healthy after ${app.health.attempts} checks (${last})`, stateNow());
}
