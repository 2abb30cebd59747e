import { AppConfig, SLOT_NAMES } from '../config/types';
import { errorMessage } from '../errors';
import { backendExists, findRouting, frontendSection, HaproxyConfigError, idleCloseSetting, lineWords, Section, sections } from './config';

/** Lines to add after one line of a section; nothing else of the file changes. */
export interface Addition {
  /** 0-based line the new lines follow (the section's header, so they are the section's first settings). */
  after: number;
  lines: string[];
}

export interface Finding {
  id: 'frontend' | 'backend-missing' | 'idle-close' | 'hard-stop-after' | 'master-worker' | 'expose-fd' | 'no-check' | 'httpchk' | 'stats-socket' | 'stats-level' | 'stats-path' | 'stats-unused' | 'version';
  /** `info` findings are facts (the version), not problems: they do not make `doctor` fail. */
  severity: 'error' | 'warning' | 'info';
  title: string;
  why: string;
  /** Applied by `doctor --fix` once a person confirms. */
  fix?: Addition;
  /** What to do by hand when no safe additive change does it. */
  byHand?: string;
}

/** What to do about a finding, in one sentence: the lines a fix adds, or what to do by hand. */
export function remedyOf(f: Finding): string | undefined {
  if (f.fix) return `Fix: add ${f.fix.lines.map((l) => `"${l.trim()}"`).join(', ')} after line ${f.fix.after + 1}.`;
  return f.byHand ? `By hand: ${f.byHand}.` : undefined;
}

export interface DoctorInput {
  config: string;
  app: AppConfig;
  /** From `show info` or `haproxy -v`. */
  version?: string;
  /** From the running HAProxy's command line (`-W`/`-Ws`); undefined when not seen. */
  masterWorkerFlag?: boolean;
  /** The running HAProxy loads other files too: nothing is added, it may belong elsewhere. */
  otherFiles?: boolean;
}

/** The version as [major, minor], e.g. "2.6.12-1" → [2, 6]. */
export function versionParts(version: string | undefined): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(version: [number, number] | undefined, major: number, minor: number): boolean | undefined {
  return version && (version[0] > major || (version[0] === major && version[1] >= minor));
}

/** The indentation of a section's settings (its first indented line), for added lines to match. */
function indentOf(lines: string[], s: Section): string {
  for (let i = s.start + 1; i < s.end; i++) {
    const m = /^(\s+)\S/.exec(lines[i]);
    if (m) return m[1];
  }
  return '    ';
}

function settingLines(config: string, s: Section, match: (w: string[]) => boolean): number[] {
  const found: number[] = [];
  for (let i = s.start + 1; i < s.end; i++) if (match(lineWords(config, i))) found.push(i);
  return found;
}

/**
 * What in the load balancer's setup makes releases drop requests, linger, or fly blind,
 * each with why it matters and the lines that fix it. Hand-written: these are Blue-Green's
 * own rules about HAProxy, which no package states.
 */
export function diagnose(input: DoctorInput): Finding[] {
  const { config, app } = input;
  const lb = app.loadBalancer;
  const lines = config.split('\n');
  const all = sections(config);
  const version = versionParts(input.version);
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(input.otherFiles && f.fix ? { ...f, fix: undefined, byHand: `${f.byHand ?? `add to ${lb.config}: ${f.fix.lines.map((l) => l.trim()).join('; ')}`} (HAProxy loads other files too, so Blue-Green does not change them itself)` } : f);

  if (input.version) findings.push({ id: 'version', severity: 'info', title: `HAProxy ${input.version}`, why: atLeast(version, 2, 6) === false ? 'before 2.6: no option idle-close-on-response, so every reload resets idle keep-alive connections' : 'has everything Blue-Green uses' });

  let frontend: Section | undefined;
  try {
    findRouting(config, lb.frontend, lb.acl);
    frontend = frontendSection(config, lb.frontend);
  } catch (e) {
    const why = e instanceof HaproxyConfigError ? e.message : errorMessage(e);
    findings.push({ id: 'frontend', severity: 'error', title: `the app's routing cannot be read`, why, byHand: `fix frontend "${lb.frontend}" in ${lb.config}` });
  }
  for (const slot of SLOT_NAMES) {
    const backend = app.slots[slot].backend;
    if (!backendExists(config, backend)) findings.push({ id: 'backend-missing', severity: 'error', title: `backend "${backend}" (${slot.toUpperCase()}'s in bluegreen.yaml) is not in ${lb.config}`, why: 'a release to that slot is refused until it exists', byHand: `add "backend ${backend}" with the slot's server, or correct slots.${slot}.backend` });
  }

  // idle-close-on-response, in the frontend or the defaults it inherits.
  const idle = frontend && idleCloseSetting(config, lb.frontend);
  if (frontend && idle && idle.value !== 'on') {
    const why = 'without it, every reload (each switch) resets the keep-alive connections that are idle at that moment, and their next requests fail (ECONNRESET)';
    if (idle.value === 'off') add({ id: 'idle-close', severity: 'warning', title: `"no option idle-close-on-response" turns it off for frontend "${lb.frontend}"`, why, byHand: `remove "no option idle-close-on-response" at line ${(idle.line ?? 0) + 1}` });
    else if (atLeast(version, 2, 6) === false) add({ id: 'idle-close', severity: 'warning', title: `option idle-close-on-response is not available before HAProxy 2.6`, why, byHand: 'upgrade HAProxy to 2.6 or later, then run the doctor again' });
    else add({ id: 'idle-close', severity: 'warning', title: `option idle-close-on-response is not set for frontend "${lb.frontend}"`, why, fix: { after: frontend.start, lines: [`${indentOf(lines, frontend)}option idle-close-on-response`] } });
  }

  const global = all.find((s) => s.keyword === 'global');
  const globalSetting = (keyword: string) => (global ? settingLines(config, global, (w) => w[0] === keyword) : []);
  if (!globalSetting('hard-stop-after').length) {
    const why = 'after a reload the old HAProxy process stays until its last connection closes; a WebSocket or a slow client can keep it (and the old routing for that client) for hours';
    add(global ? { id: 'hard-stop-after', severity: 'warning', title: 'no hard-stop-after in the global section', why, fix: { after: global.start, lines: [`${indentOf(lines, global)}hard-stop-after 30m`] } } : { id: 'hard-stop-after', severity: 'warning', title: 'no global section, so no hard-stop-after', why, byHand: 'add a global section with "hard-stop-after 30m"' });
  }

  const masterWorker = input.masterWorkerFlag === true || globalSetting('master-worker').length > 0;
  const sockets = global ? settingLines(config, global, (w) => w[0] === 'stats' && w[1] === 'socket').map((i) => ({ line: i, w: lineWords(config, i) })) : [];
  if (!masterWorker && input.masterWorkerFlag === false) {
    findings.push({ id: 'master-worker', severity: 'warning', title: 'HAProxy does not run in master-worker mode', why: 'a reload then starts a new process that must take the listening sockets over from the old one; without master-worker (or expose-fd listeners) connections arriving in between are refused', byHand: 'start HAProxy with -Ws (systemd) or -W, or add "master-worker" to the global section, then restart it once' });
    if (!sockets.some((s) => s.w.includes('expose-fd'))) findings.push({ id: 'expose-fd', severity: 'warning', title: 'no stats socket with "expose-fd listeners"', why: 'outside master-worker mode, a reload hands the listening sockets over only through such a socket (haproxy -x)', byHand: 'add "expose-fd listeners" to the stats socket line and pass -x <socket> on reload' });
  }

  const wantedSocket = lb.statsSocket ?? '/run/haproxy/admin.sock';
  if (!sockets.length) {
    add(global ? { id: 'stats-socket', severity: 'warning', title: 'no stats socket', why: 'without it Blue-Green cannot show the servers\' state, nor tell from HAProxy\'s own counts which backend served a check', fix: { after: global.start, lines: [`${indentOf(lines, global)}stats socket ${wantedSocket} mode 600 level admin`] } } : { id: 'stats-socket', severity: 'warning', title: 'no stats socket', why: 'no runtime view', byHand: `add a global section with "stats socket ${wantedSocket} mode 600 level admin"` });
  } else {
    if (!sockets.some((s) => s.w[s.w.indexOf('level') + 1] === 'admin' && s.w.includes('level'))) findings.push({ id: 'stats-level', severity: 'warning', title: 'the stats socket is not "level admin"', why: 'canary weights and draining a server need admin level; reading counters works at the default level', byHand: `add "level admin" to line ${sockets[0].line + 1}` });
    if (!lb.statsSocket) findings.push({ id: 'stats-unused', severity: 'warning', title: 'loadBalancer.statsSocket is not set in bluegreen.yaml', why: `HAProxy has a stats socket (${sockets[0].w[2]}), but without it Blue-Green proves which slot is STANDBY by one request through the frontend only, not by HAProxy's own count of what reaches it`, byHand: `add "statsSocket: ${sockets[0].w[2]}" under loadBalancer in bluegreen.yaml` });
    if (lb.statsSocket && !sockets.some((s) => s.w[2] === lb.statsSocket)) findings.push({ id: 'stats-path', severity: 'warning', title: `loadBalancer.statsSocket ${lb.statsSocket} is not a stats socket of ${lb.config}`, why: `the config has ${sockets.map((s) => s.w[2]).join(', ')}`, byHand: 'make loadBalancer.statsSocket in bluegreen.yaml name one of them' });
  }

  for (const slot of SLOT_NAMES) {
    const name = app.slots[slot].backend;
    const backend = all.find((s) => (s.keyword === 'backend' || s.keyword === 'listen') && s.name === name);
    if (!backend) continue;
    const unchecked = settingLines(config, backend, (w) => w[0] === 'server' && !w.includes('check'));
    if (unchecked.length) findings.push({ id: 'no-check', severity: 'warning', title: `backend "${name}" has servers without "check" (line ${unchecked.map((i) => i + 1).join(', ')})`, why: 'HAProxy then keeps sending users to a server that is down', byHand: `append " check" to ${unchecked.length > 1 ? 'those lines' : 'that line'}` });
    const httpchk = settingLines(config, backend, (w) => w[0] === 'option' && w[1] === 'httpchk');
    const path = app.health.path;
    if (!httpchk.length) {
      add({ id: 'httpchk', severity: 'warning', title: `backend "${name}" checks only that the port opens`, why: `an app that accepts connections but fails ${path} still gets users`, fix: { after: backend.start, lines: [`${indentOf(lines, backend)}option httpchk GET ${path}`] } });
    } else {
      const w = lineWords(config, httpchk[httpchk.length - 1]);
      const checked = w.slice(2).find((x) => x.startsWith('/'));
      if (checked && checked.split('?')[0] !== path) findings.push({ id: 'httpchk', severity: 'warning', title: `backend "${name}" checks ${checked}, not ${path}`, why: `HAProxy and Blue-Green then disagree about whether ${slot.toUpperCase()} is healthy`, byHand: `change line ${httpchk[httpchk.length - 1] + 1} to check ${path}, or set health.path` });
    }
  }
  return findings;
}

/** The config with each addition's lines inserted after its line; every other byte kept (line endings included). */
export function withAdditions(config: string, additions: Addition[]): string {
  const lines = config.split('\n');
  const eol = /\r$/.test(lines[0] ?? '') ? '\r' : '';
  // From the bottom up, so earlier line numbers stay right; additions after one line keep their order.
  const ordered = additions.map((a, i) => ({ a, i })).sort((x, y) => y.a.after - x.a.after || y.i - x.i);
  for (const { a } of ordered) lines.splice(a.after + 1, 0, ...a.lines.map((l) => l + eol));
  return lines.join('\n');
}
