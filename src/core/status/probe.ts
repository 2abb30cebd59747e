import { randomBytes } from 'node:crypto';
import { appViaEach } from '../config/appVia';
import { AppConfig, otherSlot, ServerConfig, SLOT_NAMES, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { findRouting, hasIdleCloseOnResponse, inheritedRoutingProblem } from '../haproxy/config';
import { diagnose } from '../haproxy/doctor';
import { otherFilesProblem, parseSourceFiles, runningHaproxy } from '../haproxy/loadedFiles';
import { strayRoutes } from '../haproxy/strayRoutes';
import { remote } from '../remote/scripts';
import { SectionedScript } from '../remote/sections';
import { CommandRunner, HostRef } from '../ssh/runner';
import { shQuote } from '../shell';
import { oldProcesses } from './oldProcesses';
import { LoadBalancerFiles, readLoadBalancerFiles } from './loadBalancerFiles';
import { OncePerRefresh } from './oncePerRefresh';
import { timeLeft } from '../format';
import { canaryKeyText, findCanary } from '../haproxy/canary';
import { STATE_STATUS_LIMIT, stateFromRead, watchInterrupted } from '../state/stateFile';
import { parseGitHead } from './checkout';
import { BackendTraffic, parseBackendTraffic, parseHealthBody, parsePm2List, parseShowInfo, parseShowStat } from './parse';
import { KnownStart, parsePidFileLine, pm2Script } from './pm2PidFile';
import { Drift, LoadBalancerSnapshot, LockHolder, RuntimeServer, ServerSnapshot } from './snapshot';
import { Remembered, unchangedFilesOf, unlessUnchanged } from './unchanged';

export function lbHost(app: AppConfig): HostRef {
  return { ssh: app.loadBalancer.ssh, via: app.loadBalancer.via };
}

export function serverHost(server: ServerConfig): HostRef {
  return { ssh: server.ssh, via: server.via };
}

/** The host a slot-wide step runs on (git history, the migrations' diff): its first server. */
export function slotHost(app: AppConfig, slot: SlotName): HostRef {
  return serverHost(app.slots[slot].servers[0]);
}

/** An LB as one app sees it: its files (read once per refresh for all the apps on it, see loadBalancerFiles.ts) and the runtime view. */
export async function probeLoadBalancer(runner: CommandRunner, app: AppConfig, signal?: AbortSignal, shared = new OncePerRefresh()): Promise<LoadBalancerSnapshot> {
  const c = app.loadBalancer;
  const lb: LoadBalancerSnapshot = { host: c.ssh, reachable: false, frontend: c.frontend, acl: c.acl, state: { file: c.stateFile, status: 'unknown', history: [] } };
  const host = `${c.ssh}\0${c.via ?? ''}`;
  const files = shared.once(`files\0${host}\0${c.config}`, () => readLoadBalancerFiles(runner, lbHost(app), c.config, stateFilesBeside(app, shared.apps), signal));
  // HAProxy answers several `;`-separated commands on one connection, each answer ending in a blank line.
  const runtimeAnswer = c.statsSocket
    ? shared.once(`stats\0${host}\0${c.statsSocket}`, () =>
        runner.askUnixSocket(lbHost(app), c.statsSocket!, 'show info;show stat', { timeoutMs: 5000, signal }).then(
          (output) => parseRuntime(output),
          (e: unknown): RuntimeAnswer => ({ error: errorMessage(e) }),
        ),
      )
    : undefined;
  // While HAProxy re-executes for a reload its master refuses connections: no answer is then no list.
  const draining = shared.once(`master\0${host}\0${c.masterSocket ?? ''}`, () => oldProcesses(runner, app, signal).catch(() => undefined));
  let read: LoadBalancerFiles;
  try {
    read = await files;
  } catch (e) {
    lb.error = errorMessage(e);
    return lb;
  }
  const configMtime = mtimeOf(read.stat, c.config);
  const running = runningHaproxy(read.haproxy, c.config);
  lb.reachable = true;
  lb.lock = parseLockHolder(read.locks.get(c.stateFile) ?? '');

  const { cfg } = read;
  if (cfg.code !== 0) {
    lb.error = `cannot read ${c.config} on ${c.ssh}: ${cfg.output.trim()}`;
  } else {
    try {
      const routing = findRouting(cfg.output, c.frontend, c.acl);
      // With other files loaded, the config file alone is trusted only when they leave the frontend alone.
      const loaded = running.sources;
      if (loaded.kind === 'with-others') {
        const problem = await otherFilesProblemOn(runner, app, loaded.sources, signal);
        if (problem) throw new Error(problem);
      }
      lb.backend = routing.backend;
      lb.routingLine = routing.line + 1;
      if (routing.inheritedFrom !== undefined) lb.notSwitchable = inheritedRoutingProblem(c.frontend, routing);
      if (loaded.kind === 'not-named') lb.configNotNamed = { config: c.config, running: loaded.running };
      const stray = strayRoutes(cfg.output, c.frontend, c.acl, SLOT_NAMES.map((n) => app.slots[n].backend), app.name);
      const canary = findCanary(cfg.output, c.frontend, c.acl, app.name);
      const canarySlot = canary && SLOT_NAMES.find((n) => app.slots[n].backend === canary.backend);
      if (canary) lb.canary = { percent: canary.percent, key: canaryKeyText(canary.key), line: canary.line + 1, slot: canarySlot, backend: canary.backend };
      if (stray.length) lb.strayRoutes = stray;
      lb.idleCloseOnResponse = hasIdleCloseOnResponse(cfg.output, c.frontend);
    } catch (e) {
      lb.error = `${c.config} on ${c.ssh}: ${errorMessage(e)}`;
    }
  }

  const state = read.states.get(c.stateFile);
  if (state) {
    const read = stateFromRead(state.code, state.output);
    if (read.kind === 'ok') Object.assign(lb.state, { status: 'ok', live: read.state.live, standby: read.state.standby, lastSwitch: read.state.lastSwitch, switchCount: read.state.switchCount, history: read.state.history, watch: read.state.watch, canary: read.state.canary });
    else if (read.kind === 'corrupt') Object.assign(lb.state, { status: 'corrupt', error: read.error });
    else if (read.kind === 'too-large') Object.assign(lb.state, { status: 'too-large', error: `${(read.bytes / 2 ** 20).toFixed(1)} MB` });
    else lb.state.status = 'missing';
  }

  let version: string | undefined;
  if (runtimeAnswer) {
    const runtime = await runtimeAnswer;
    if (!runtime.parsed) {
      lb.runtime = { error: `stats socket ${c.statsSocket}: ${(runtime.error ?? 'no answer').split('\n')[0]}`, servers: [] };
    } else {
      const { info, servers, traffic } = runtime.parsed;
      const uptime = Number(info.Uptime_sec);
      const backends = new Set(SLOT_NAMES.map((n) => app.slots[n].backend));
      // The LB's other apps' servers are theirs to show.
      lb.runtime = { uptimeSec: Number.isFinite(uptime) ? uptime : undefined, servers: servers.filter((s) => backends.has(s.backend)) };
      lb.traffic = Object.fromEntries(SLOT_NAMES.flatMap((n) => (traffic.has(app.slots[n].backend) ? [[n, traffic.get(app.slots[n].backend)!]] : []))) as LoadBalancerSnapshot['traffic'];
      const startedAt = Number(info.Start_time_sec) || (lb.runtime.uptimeSec !== undefined ? (await lbClock(runner, app, signal)) - lb.runtime.uptimeSec : NaN);
      // Whole seconds on both sides: an edit within a second or so of a reload goes unseen. Just
      // after a reload, the old process (Stopping: 1) may still take the socket's connection:
      // its start time says nothing about the config loaded now.
      if (configMtime && startedAt && configMtime > startedAt && info.Stopping !== '1') lb.configChangedAfterLoad = true;
      version = info.Version;
    }
  }
  const old = await draining;
  if (old?.length) lb.oldProcesses = old;
  if (cfg.code === 0 && !lb.error) {
    const found = diagnose({ config: cfg.output, app, version, masterWorkerFlag: running.masterWorker, otherFiles: running.sources.kind === 'with-others' });
    lb.findings = found.filter((f) => f.severity !== 'info');
  }
  return lb;
}

/**
 * The state files read with `app`'s: those of every app refreshed together that uses the same
 * LB host and HAProxy config, in a fixed order so the memo of unchanged files keeps its key.
 */
function stateFilesBeside(app: AppConfig, apps: readonly AppConfig[]): string[] {
  const c = app.loadBalancer;
  const same = apps.flatMap(appViaEach).filter((a) => a.loadBalancer.ssh === c.ssh && (a.loadBalancer.via ?? '') === (c.via ?? '') && a.loadBalancer.config === c.config);
  return [...new Set([c.stateFile, ...same.map((a) => a.loadBalancer.stateFile)])].sort();
}

interface RuntimeAnswer {
  parsed?: { info: Record<string, string>; servers: RuntimeServer[]; traffic: Map<string, BackendTraffic> };
  /** Why there is no parsed answer: the socket's error, or the answer itself when it is not `show info;show stat`'s. */
  error?: string;
}

/** `show info;show stat`, parsed once for every app on the LB. */
function parseRuntime(answer: string): RuntimeAnswer {
  const statAt = answer.indexOf('# pxname');
  if (statAt < 0) return { error: answer.trim() || undefined };
  const stat = answer.slice(statAt);
  return { parsed: { info: parseShowInfo(answer.slice(0, statAt)), servers: parseShowStat(stat), traffic: parseBackendTraffic(stat) } };
}

/** lock-holder.sh's answer: the holder while the lock is held, else nothing. */
export function parseLockHolder(output: string): LockHolder | undefined {
  const [state, json] = output.split('\n');
  if (state !== 'held') return undefined;
  try {
    const h = JSON.parse(json ?? '') as Partial<LockHolder>;
    return { who: h.who ?? 'someone', operation: h.operation ?? 'an operation', since: h.since };
  } catch {
    return { who: 'someone', operation: 'an operation' };
  }
}

/** Reads the other files the running HAProxy loads and checks that they leave the app's frontend alone. */
async function otherFilesProblemOn(runner: CommandRunner, app: AppConfig, sources: string[], signal?: AbortSignal): Promise<string | undefined> {
  const mark = `@@bg-${randomBytes(8).toString('hex')}`;
  const r = await runner.run(lbHost(app), remote.readConfigSources(mark, sources), { signal, timeoutMs: 20000, lane: 'probe' });
  const { files, unreadable } = parseSourceFiles(r.stdout, mark);
  return otherFilesProblem(files, unreadable, app.loadBalancer.config, app.loadBalancer.frontend);
}

/** The modification time in whole seconds of `file`, from `stat -c '%i %s %.9Y %.9Z %Y %n'` lines. */
function mtimeOf(statOutput: string, file: string): number | undefined {
  for (const line of statOutput.split('\n')) {
    const fields = line.split(' ');
    if (fields.slice(5).join(' ') === file && /^\d+$/.test(fields[4] ?? '')) return Number(fields[4]);
  }
  return undefined;
}

/** The LB's clock, for HAProxy versions whose `show info` has no Start_time_sec. */
async function lbClock(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<number> {
  try {
    const r = await runner.run(lbHost(app), 'date +%s', { signal, timeoutMs: 10000, lane: 'probe' });
    return Number(r.stdout.trim());
  } catch {
    return NaN;
  }
}

function knownStart(held: Remembered | undefined): KnownStart | undefined {
  const ticks = held?.sections.get('start')?.output;
  return held && ticks ? { process: held.fingerprint, ticks } : undefined;
}

/** One round trip to a slot's server: git, package.json (both skipped when the checkout is unchanged) and pm2. */
export async function probeServer(runner: CommandRunner, s: ServerConfig, signal?: AbortSignal): Promise<Partial<ServerSnapshot>> {
  const dir = shQuote(s.dir);
  const memo = unchangedFilesOf(runner);
  const memoKey = `${s.ssh}\0${s.via ?? ''}\0${s.dir}`;
  const pm2Key = `${memoKey}\0pm2`;
  const held = memo.recall(memoKey);
  const script = new SectionedScript()
    .add('checkout', remote.checkoutFingerprint(s.dir))
    .add('git', unlessUnchanged(held?.fingerprint, `cd -- ${dir} && git log -1 --no-color --format=%H%n%D`))
    .add('pkg', unlessUnchanged(held?.fingerprint, `cat -- ${dir}/package.json`))
    .add('pm2', pm2Script(s.pm2, knownStart(memo.recall(pm2Key))));
  try {
    const r = await runner.run(serverHost(s), script.script, { signal, timeoutMs: 20000, lane: 'probe' });
    const parsed = script.parse(r.stdout);
    const sections = memo.settle(memoKey, held, parsed.get('checkout')?.output.trim() ?? '', parsed, ['git', 'pkg']);
    if (!sections.has('git')) throw new Error(`unexpected output (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
    const out: Partial<ServerSnapshot> = { reachable: true };
    const git = sections.get('git')!;
    if (git.code === 0) Object.assign(out, parseGitHead(git.output));
    const pkg = sections.get('pkg');
    if (pkg?.code === 0) {
      try {
        out.version = (JSON.parse(pkg.output) as { version?: string }).version;
      } catch {
        // a broken package.json leaves the version to the health endpoint
      }
    }
    const pm2 = sections.get('pm2');
    const pidFile = pm2?.code === 0 ? parsePidFileLine(pm2.output) : undefined;
    if (pidFile?.start) memo.keep(pm2Key, pidFile.start.process, new Map([['start', { output: pidFile.start.ticks, code: 0 }]]));
    if (pm2?.code === 0) out.pm2 = pidFile?.pm2 ?? parsePm2List(pm2.output, s.pm2, Date.now()) ?? { status: 'not found' };
    return out;
  } catch (e) {
    return { reachable: false, error: errorMessage(e) };
  }
}

/** Where a server's health is asked for, and from which host (`health.from`). */
export function healthTarget(app: AppConfig, server: ServerConfig): { from: HostRef; url: string } {
  return { from: app.health.from === 'lb' ? lbHost(app) : serverHost(server), url: server.url.replace(/\/$/, '') + app.health.path };
}

export async function checkHealth(runner: CommandRunner, app: AppConfig, server: ServerConfig, signal?: AbortSignal): Promise<Partial<ServerSnapshot>> {
  const { from, url } = healthTarget(app, server);
  try {
    const r = await runner.httpGet(from, url, { timeoutMs: app.health.timeoutMs, signal });
    const body = parseHealthBody(r.body);
    return {
      health: r.status === 200 ? 'up' : 'down',
      healthDetail: r.status === 200 ? undefined : `HTTP ${r.status} from ${url}`,
      httpStatus: r.status,
      responseMs: r.ms,
      ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
    };
  } catch (e) {
    return { health: 'down', healthDetail: `${url}: ${errorMessage(e)}` };
  }
}

export function roleOf(lb: LoadBalancerSnapshot, app: AppConfig): { live?: SlotName; standby?: SlotName; error?: string } {
  if (!lb.backend) return {};
  const live = SLOT_NAMES.find((n) => app.slots[n].backend === lb.backend);
  if (!live) return { error: `HAProxy routes ${app.name} to backend "${lb.backend}", which is neither slot's backend (${app.slots.blue.backend}, ${app.slots.green.backend})` };
  return { live, standby: otherSlot(live) };
}

export function driftOf(lb: LoadBalancerSnapshot, live: SlotName | undefined): Drift[] {
  const drift: Drift[] = [];
  const { state } = lb;
  if (state.status === 'missing') drift.push({ kind: 'state-file-missing', message: `the state file ${state.file} does not exist; HAProxy's config is used` });
  if (state.status === 'corrupt') drift.push({ kind: 'state-file-corrupt', message: `the state file ${state.file} cannot be read (${state.error ?? 'corrupt'}); HAProxy's config is used` });
  if (state.status === 'too-large') {
    drift.push({ kind: 'state-file-too-large', message: `the state file ${state.file} is ${state.error}, more than a status refresh reads (${STATE_STATUS_LIMIT / 2 ** 20} MB), so its history is not shown and HAProxy's config gives the roles; the next release keeps its last loadBalancer.historyKept entries and moves the rest to ${state.file}.history.jsonl` });
  }
  if (state.status === 'ok' && live && state.live !== live) {
    drift.push({ kind: 'state-file-disagrees', message: `the state file says ${state.live?.toUpperCase()} is LIVE, but HAProxy routes to ${live.toUpperCase()}; HAProxy's config wins` });
  }
  if (lb.strayRoutes?.length) drift.push({ kind: 'mixed-routing', message: mixedRoutingMessage(lb) });
  if (lb.configNotNamed) {
    const { config, running } = lb.configNotNamed;
    drift.push({ kind: 'config-not-named', message: `the running HAProxy loads ${running.join(', ') || 'no file named on its command line'}, not ${config}: unless one of those is a link to it, a switch edits a file HAProxy does not read (the check through the frontend would then undo it)` });
  }
  const recorded = state.canary;
  if (lb.canary && (!recorded || recorded.percent !== lb.canary.percent || recorded.slot !== lb.canary.slot)) {
    drift.push({ kind: 'canary-disagrees', message: `HAProxy's config has a canary rule (line ${lb.canary.line}: ${lb.canary.percent}% to ${lb.canary.backend}) that the state file ${recorded ? `records as ${recorded.percent}% to ${recorded.slot.toUpperCase()}` : 'does not record'}; HAProxy's config wins` });
  } else if (!lb.canary && recorded && state.status === 'ok') {
    drift.push({ kind: 'canary-disagrees', message: `the state file records a canary (${recorded.percent}% to ${recorded.slot.toUpperCase()}) that HAProxy's config does not have` });
  }
  if (lb.canary && lb.canary.slot === live) drift.push({ kind: 'canary-disagrees', message: `the canary rule (line ${lb.canary.line}) sends clients to LIVE's own backend ${lb.canary.backend}: it does nothing` });
  if (watchInterrupted(state.watch, !!lb.lock)) {
    const w = state.watch!;
    drift.push({ kind: 'watch-interrupted', message: `the watch of ${w.slot.toUpperCase()} started by ${w.by} stopped early (the process running it ended) with ${timeLeft(w.until)} left: nobody is watching. Resume it (Resume Watch, bluegreen watch) or stop it (bluegreen watch --stop)` });
  }
  if (lb.configChangedAfterLoad) {
    drift.push({ kind: 'config-not-loaded', message: `the HAProxy config file changed after HAProxy last loaded it; the running routing may differ until a reload` });
  }
  return drift;
}

/** What the split is and what to do about it, naming each line. */
export function mixedRoutingMessage(lb: LoadBalancerSnapshot): string {
  const rules = (lb.strayRoutes ?? []).map((r) => `line ${r.line}: "${r.text}"`).join('; ');
  return `traffic is split: besides its routing line ${lb.routingLine ?? '?'}, frontend "${lb.frontend}" sends requests to a slot's backend (${rules}), so STANDBY serves users too. Deploy, sync and release are refused until only the routing line sends traffic to a slot`;
}
