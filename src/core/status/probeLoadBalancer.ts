import { randomBytes } from 'node:crypto';
import { appViaEach } from '../config/appVia';
import { lbHost, serverAddress } from '../config/hostRefs';
import { AppConfig, otherSlot, SLOT_NAMES, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { canaryKeyText, findCanary } from '../haproxy/canary';
import { findRouting, hasIdleCloseOnResponse, inheritedRoutingProblem } from '../haproxy/config';
import { diagnose } from '../haproxy/doctor';
import { otherFilesProblem, parseSourceFiles, runningHaproxy } from '../haproxy/loadedFiles';
import { StrayRoute, strayRoutes, strayRoutesIn } from '../haproxy/strayRoutes';
import { remote } from '../remote/scripts';
import { stateFromRead } from '../state/stateFile';
import { CommandRunner } from '../ssh/runner';
import { LoadBalancerFiles, readLoadBalancerFiles } from './loadBalancerFiles';
import { oldProcesses } from './oldProcesses';
import { OncePerRefresh } from './oncePerRefresh';
import { parseBackendTraffic, parseLockHolder, parseSessionCounts, parseShowInfo, parseShowStat } from './parse';
import { BackendTraffic, LoadBalancerSnapshot, RuntimeServer } from './snapshot';
import { countingWindow, CountReading, standbyReached, TrafficProof } from './trafficProof';

/** An LB as one app sees it: its files (read once per refresh for all the apps on it, see loadBalancerFiles.ts) and the runtime view. */
/** `throughFrontend`: this refresh's request through the app's frontend; HAProxy's counters are read after it, so its own session is in the window they count. */
export async function probeLoadBalancer(runner: CommandRunner, app: AppConfig, signal?: AbortSignal, shared = new OncePerRefresh(), throughFrontend?: Promise<unknown>): Promise<LoadBalancerSnapshot> {
  const c = app.loadBalancer;
  const lb: LoadBalancerSnapshot = { host: c.ssh, reachable: false, frontend: c.frontend, acl: c.acl, state: { file: c.stateFile, status: 'unknown', history: [] } };
  const host = `${c.ssh}\0${c.via ?? ''}`;
  const files = shared.once(`files\0${host}\0${c.config}`, () => readLoadBalancerFiles(runner, lbHost(app), c.config, stateFilesBeside(app, shared.apps), signal));
  // HAProxy answers several `;`-separated commands on one connection, each answer ending in a blank line.
  const runtimeAnswer = c.statsSocket
    ? shared.once(`stats\0${host}\0${c.statsSocket}`, async () =>
        (await throughFrontend?.catch(() => undefined), runner.askUnixSocket(lbHost(app), c.statsSocket!, 'show info;show stat', { timeoutMs: 5000, signal })).then(
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
      const elsewhere: StrayRoute[] = [];
      if (loaded.kind === 'with-others') {
        const { problem, stray } = await otherFilesProblemOn(runner, app, loaded.sources, signal);
        if (problem) throw new Error(problem);
        elsewhere.push(...stray);
      }
      lb.backend = routing.backend;
      lb.routingLine = routing.line + 1;
      if (routing.inheritedFrom !== undefined) lb.notSwitchable = inheritedRoutingProblem(c.frontend, routing);
      if (loaded.kind === 'not-named') lb.configNotNamed = { config: c.config, running: loaded.running };
      const stray = strayRoutes(cfg.output, c.frontend, c.acl, SLOT_NAMES.map((n) => app.slots[n].backend), app.name);
      const canary = findCanary(cfg.output, c.frontend, c.acl, app.name);
      const canarySlot = canary && SLOT_NAMES.find((n) => app.slots[n].backend === canary.backend);
      if (canary) lb.canary = { percent: canary.percent, key: canaryKeyText(canary.key), line: canary.line + 1, slot: canarySlot, backend: canary.backend };
      if (stray.length || elsewhere.length) lb.strayRoutes = [...stray, ...elsewhere];
      lb.idleCloseOnResponse = hasIdleCloseOnResponse(cfg.output, c.frontend);
    } catch (e) {
      lb.error = fromHost(`${c.config} on ${c.ssh}: ${errorMessage(e)}`, HOST_TEXT_LIMITS.detail);
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
  const live = SLOT_NAMES.find((n) => app.slots[n].backend === lb.backend);
  if (live && !lb.error) lb.trafficProof = await countedProof(runner, app, otherSlot(live), runtimeAnswer && (await runtimeAnswer), shared, signal);
  const old = await draining;
  if (old?.length) lb.oldProcesses = old;
  if (cfg.code === 0 && !lb.error) {
    const found = diagnose({ config: cfg.output, app, version, masterWorkerFlag: running.masterWorker, otherFiles: running.sources.kind === 'with-others' });
    lb.findings = found.filter((f) => f.severity !== 'info');
  }
  return lb;
}

/**
 * What HAProxy counted reaching STANDBY across a window (see trafficProof.ts), or why nothing
 * was counted. The window is shared by every app on the LB.
 */
async function countedProof(runner: CommandRunner, app: AppConfig, standby: SlotName, runtime: RuntimeAnswer | undefined, shared: OncePerRefresh, signal?: AbortSignal): Promise<TrafficProof> {
  const c = app.loadBalancer;
  if (!c.statsSocket) return { standby, notCounted: 'no stats socket (loadBalancer.statsSocket) for HAProxy to count with' };
  if (!runtime?.parsed) return { standby, notCounted: `the stats socket did not answer (${fromHost(runtime?.error ?? 'no answer', HOST_TEXT_LIMITS.line)})` };
  const key = `${c.ssh}\0${c.via ?? ''}\0${c.statsSocket}`;
  const readAgain = async () => {
    const again = parseRuntime(await runner.askUnixSocket(lbHost(app), c.statsSocket!, 'show info;show stat', { timeoutMs: 5000, signal }));
    if (!again.parsed) throw new Error(again.error ?? 'no answer');
    return again.parsed.reading;
  };
  const window = await shared.once(`window\0${key}`, () => countingWindow(key, runtime.parsed!.reading, readAgain));
  if ('notCounted' in window) return { standby, notCounted: window.notCounted };
  const where = standbyReached(window.before.counts, window.after.counts, app.slots[standby].backend, app.slots[standby].servers.map((s) => serverAddress(s.url)));
  if (!where) return { standby, notCounted: "HAProxy's counters went backwards (another process answered)" };
  return { standby, counted: { windowMs: window.after.at - window.before.at, sessions: where.reduce((sum, w) => sum + w.sessions, 0), where } };
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
  parsed?: { info: Record<string, string>; servers: RuntimeServer[]; traffic: Map<string, BackendTraffic>; reading: CountReading };
  /** Why there is no parsed answer: the socket's error, or the answer itself when it is not `show info;show stat`'s. */
  error?: string;
}

/** `show info;show stat`, parsed once for every app on the LB. */
function parseRuntime(answer: string): RuntimeAnswer {
  const statAt = answer.indexOf('# pxname');
  if (statAt < 0) return { error: answer.trim() || undefined };
  const stat = answer.slice(statAt);
  const info = parseShowInfo(answer.slice(0, statAt));
  return { parsed: { info, servers: parseShowStat(stat), traffic: parseBackendTraffic(stat), reading: { at: Date.now(), pid: info.Pid, counts: parseSessionCounts(stat) } } };
}

/** Reads the other files the running HAProxy loads and checks that they leave the app's frontend alone. */
async function otherFilesProblemOn(runner: CommandRunner, app: AppConfig, sources: string[], signal?: AbortSignal): Promise<{ problem?: string; stray: StrayRoute[] }> {
  const mark = `@@bg-${randomBytes(8).toString('hex')}`;
  const r = await runner.run(lbHost(app), remote.readConfigSources(mark, sources), { signal, timeoutMs: 20000, lane: 'probe' });
  const { files, unreadable } = parseSourceFiles(r.stdout, mark);
  const slotBackends = SLOT_NAMES.map((n) => app.slots[n].backend);
  const stray = files.filter((f) => f.path !== app.loadBalancer.config).flatMap((f) => strayRoutesIn(f.path, f.text, slotBackends));
  return { problem: otherFilesProblem(files, unreadable, app.loadBalancer.config, app.loadBalancer.frontend), stray };
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
