import { appViaEach } from '../config/appVia';
import { diagnose, DoctorInput, Finding, remedyOf, withAdditions } from '../haproxy/doctor';
import { runningHaproxy, runningHaproxyScript } from '../haproxy/loadedFiles';
import { SectionedScript } from '../remote/sections';
import { shQuote } from '../shell';
import { lbHost } from '../config/hostRefs';
import { snapshotApp } from '../status/refresh';
import { slotLabel } from '../status/snapshot';
import { liveUnchanged } from '../status/describe';
import { configFromBase64, sha256 } from './parts/lbFiles';
import { acquireLock } from './parts/lock';
import { enforce } from './parts/enforce';
import { preflight } from '../plan/preflight';
import { localStep, OperationContext, steady, WorkflowError } from './parts/operation';
import { applyEach, LbChange, readUnderLocks } from './parts/lbChange';
import { Plan } from '../plan/types';
import { verifyLive } from './parts/verify';
import { SetupFinding } from '../status/setupFindings';
import { checkSetup, makeStateFolders } from './checkSetup';

export interface DoctorOptions {
  /** Apply the additive fixes, once the person confirms them. */
  fix?: boolean;
}

export interface DoctorResult {
  /** What is found after any fix (version included, as an `info` finding). */
  findings: Finding[];
  /** What the slot hosts and the load balancers' users lack beside haproxy.cfg (checkSetup). */
  setup: SetupFinding[];
  /** The findings whose lines were added. */
  fixed: Finding[];
  /** Warnings and errors left. */
  problems: number;
  summary: string;
}

/** haproxy.cfg byte for byte, the running HAProxy's command line and its version, in one round trip. */
async function readLoadBalancer(ctx: OperationContext): Promise<DoctorInput & { sha: string }> {
  const lb = ctx.app.loadBalancer;
  const script = new SectionedScript()
    .add('cfg', `base64 < ${shQuote(lb.config)}`)
    .add('cmd', runningHaproxyScript())
    .add('version', 'haproxy -v 2>/dev/null');
  const r = await ctx.runner.run(lbHost(ctx.app), script.script, { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
  const parts = script.parse(r.stdout);
  const cfg = parts.get('cfg');
  if (!cfg || cfg.code !== 0) throw new WorkflowError('step-failed', 'Read the load balancer', lb.ssh, `cannot read ${lb.config}: ${(cfg?.output ?? r.stderr).trim()}`, 'Nothing was changed.');
  const config = configFromBase64(cfg.output);
  const running = runningHaproxy(parts.get('cmd')?.output ?? '', lb.config);
  const version = /version\s+(\S+)/i.exec(parts.get('version')?.output ?? '')?.[1];
  return { config, sha: sha256(config), app: ctx.app, version, masterWorkerFlag: running.masterWorker, otherFiles: running.sources.kind === 'with-others' };
}

function describeFinding(f: Finding): string {
  const mark = f.severity === 'info' ? 'ℹ' : f.severity === 'error' ? '✗' : '⚠';
  const remedy = remedyOf(f);
  return `${mark} ${f.title}: ${f.why}.${remedy ? ` ${remedy}` : ''}`;
}

const isProblem = (f: Finding) => f.severity !== 'info';

/**
 * The doctor's fix as the pipeline's change: the confirmed lines added, and only if the file
 * under the lock still needs exactly those (else the person confirmed something else);
 * checked by LIVE answering, healthy, through the frontend.
 */
function addLines(plan: Plan, read: DoctorInput, fixes: Finding[]): LbChange {
  const live = plan.live!;
  const wanted = JSON.stringify(fixes.map((f) => f.fix));
  const fixesIn = (config: string) => diagnose({ ...read, config }).filter((f) => f.fix);
  return {
    title: () => 'Add the lines and reload HAProxy',
    edit: (config) => withAdditions(config, fixesIn(config).map((f) => f.fix!)),
    alreadyNote: (lb) => `${lb.config} on ${lb.ssh} has the lines already`,
    refuse: (config, app) => (JSON.stringify(fixesIn(config).map((f) => f.fix)) === wanted ? undefined : `${app.loadBalancer.config} changed since it was read; run the doctor again`),
    verify: (s) => verifyLive(s.ctx, plan.snapshot, live, true),
    verifyTitle: 'Check LIVE through the frontend',
    back: live,
    ifRestoreFails: (host) => `HAProxy runs the changed config: check ${read.app.loadBalancer.config} on ${host} now.`,
    afterFailedReload: (lb) => `${liveUnchanged(plan.snapshot)} Check HAProxy on ${lb.ssh}.`,
    noun: 'change',
    verb: 'changed',
  };
}

/**
 * Checks the load balancer's setup against what a hitless release needs and, with `fix`,
 * adds the missing lines the person confirms — through the same validate, replace, reload
 * and verify pipeline as a switch, the previous config put back on any failure.
 */
/**
 * Each load balancer of the app in turn (a pair is two HAProxy configs, each checked and fixed
 * on its own), then every host the operations run on (checkSetup): slot and staging servers in
 * the shell deploy steps run in, and each load balancer's user.
 */
export async function doctor(given: OperationContext, o: DoctorOptions = {}): Promise<DoctorResult> {
  const views = appViaEach(given.app);
  const results: Omit<DoctorResult, 'setup'>[] = [];
  for (const app of views) results.push(await doctorOne({ ...given, app }, o));
  const lbSummary = views.length === 1 ? results[0].summary : results.map((r, i) => `${views[i].loadBalancer.ssh}: ${r.summary}`).join(' ');
  const ctx = steady(given);
  let setup = await localStep(ctx, 'Check the hosts', () => checkSetup(ctx.runner, ctx.app, ctx.signal));
  const made = o.fix ? await makeStateFolders(ctx.runner, ctx.app, setup, ctx.signal) : [];
  if (made.length) {
    ctx.reporter.info(`Made ${made.join(', ')}.`);
    setup = setup.filter((f) => !f.makeFolder || !made.some((m) => m.endsWith(`:${f.makeFolder}`)));
  }
  for (const f of setup) (isSetupProblem(f) ? ctx.reporter.warn : ctx.reporter.info).call(ctx.reporter, describeSetupFinding(f));
  const hostProblems = setup.filter(isSetupProblem);
  const hostSummary = hostProblems.length
    ? `${hostProblems.length} problem(s) on the hosts: ${hostProblems.map((f) => `${f.where}: ${f.title}`).join('; ')}.`
    : 'Every slot host has its checkout, its remote and branch, the commands deploys run and its pm2 process; the load balancer\'s user needs no password.';
  return {
    findings: results.flatMap((r) => r.findings),
    setup,
    fixed: results.flatMap((r) => r.fixed),
    problems: results.reduce((n, r) => n + r.problems, 0) + hostProblems.length,
    summary: `${lbSummary} ${hostSummary}`,
  };
}

const isSetupProblem = (f: SetupFinding) => f.severity !== 'info';

function describeSetupFinding(f: SetupFinding): string {
  const mark = f.severity === 'info' ? 'ℹ' : f.severity === 'error' ? '✗' : '⚠';
  return `${mark} ${f.where}: ${f.title}: ${f.why}.${f.byHand ? ` Fix: ${f.byHand}.` : ''}`;
}

async function doctorOne(given: OperationContext, o: DoctorOptions): Promise<Omit<DoctorResult, 'setup'>> {
  const ctx = steady(given);
  const lb = ctx.app.loadBalancer;
  const read = await localStep(ctx, `Read HAProxy's config and process on ${lb.ssh}`, () => readLoadBalancer(ctx));
  const found = diagnose(read);
  for (const f of found) (isProblem(f) ? ctx.reporter.warn : ctx.reporter.info).call(ctx.reporter, describeFinding(f));
  const fixes = found.filter((f) => f.fix);
  if (!o.fix || !fixes.length) return result(found, []);

  const lock = await acquireLock(ctx, 'doctor --fix', 'Nothing was changed.');
  try {
    const before = await localStep(ctx, 'Detect roles', () => snapshotApp(ctx.runner, ctx.app, ctx.signal));
    const plan = preflight(before, ctx.app, { kind: 'fix-lb' });
    enforce(plan, 'Fix the load balancer', 'Nothing was changed.');
    const live = before.live!;
    const unchanged = () => `Nothing was changed. ${liveUnchanged(before)}`;
    const answer = await ctx.confirm.confirm({
      title: `Add ${fixes.reduce((n, f) => n + f.fix!.lines.length, 0)} line(s) to ${lb.config} on ${lb.ssh} and reload HAProxy?`,
      detail: [
        ...fixes.map((f) => `${f.title}:\n${f.fix!.lines.map((l) => `  + ${l.trim()}   (after line ${f.fix!.after + 1})`).join('\n')}`),
        `Every other line stays as it is. The candidate is validated (${lb.validate}), the previous file kept, HAProxy reloaded and ${slotLabel(live)} checked through the frontend; on any failure the previous file is put back.`,
      ].join('\n'),
      action: 'Add and Reload',
    });
    // Declining the fix is not a failure: the findings are the answer.
    if (!answer.ok) return result(found, []);
    // HAProxy's command line and version as they are under the lock: the pipeline's check that
    // the confirmed lines are still the ones to add judges the config with them.
    const now = await localStep(ctx, 'Read HAProxy again under the lock', () => readLoadBalancer(ctx));
    const change = addLines(plan, now, fixes);
    const lbs = [{ ctx, lock }];
    await readUnderLocks(lbs, plan, change, 'Fix the load balancer', unchanged);
    await applyEach(lbs, plan, change, 'Fix the load balancer', unchanged);
  } finally {
    await lock.release();
  }
  const after = diagnose(await localStep(ctx, 'Check again', () => readLoadBalancer(ctx)));
  return result(after, fixes);

  function result(findings: Finding[], fixed: Finding[]): Omit<DoctorResult, 'setup'> {
    const problems = findings.filter(isProblem);
    const done = fixed.length ? `Added the lines for ${fixed.length} finding(s) and reloaded HAProxy; LIVE answers through the frontend. ` : '';
    const summary = problems.length
      ? `${done}${problems.length} problem(s) on ${lb.ssh}: ${problems.map((f) => f.title).join('; ')}.${!o.fix && problems.some((f) => f.fix) ? ` ${problems.filter((f) => f.fix).length} of them can be fixed by adding lines.` : ''}`
      : `${done}The load balancer on ${lb.ssh} has everything a hitless release needs.`;
    ctx.reporter.info(summary);
    return { findings, fixed, problems: problems.length, summary };
  }
}
