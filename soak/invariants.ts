import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LabInfo } from '../lab/lab';
import { findRouting } from '../src/core/haproxy/config';

/** What a soak checks after every operation; each returns the problems it finds. */
export interface Pm2State {
  pid: number;
  restarts: number;
}

export function pm2State(lab: LabInfo, slot: 'blue' | 'green'): Pm2State | undefined {
  const env = { ...process.env, PM2_HOME: path.join(lab.hosts[slot].home, 'pm2') };
  try {
    const list = JSON.parse(execFileSync(path.join(lab.dir, 'bin', 'pm2'), ['jlist'], { env }).toString()) as { name: string; pid: number; pm2_env: { restart_time: number } }[];
    const p = list.find((x) => x.name === `demo-${slot}`);
    return p && { pid: p.pid, restarts: p.pm2_env.restart_time };
  } catch {
    return undefined;
  }
}

/** The slot HAProxy's config routes the app to. */
export function routedSlot(lab: LabInfo): 'blue' | 'green' | undefined {
  const backend = findRouting(readFileSync(lab.haproxyConfig, 'latin1'), 'demo').backend;
  return backend === 'demo_blue' ? 'blue' : backend === 'demo_green' ? 'green' : undefined;
}

export interface StateFacts {
  live?: string;
  switchCount: number;
  /** release, rollback and auto-rollback entries, the rotated file's included. */
  switches: number;
  /** Where the history's chain of switches (and reconciles) breaks, if it does. */
  broken?: string;
  lastLive?: string;
}

const SWITCH_KINDS = new Set(['release', 'rollback', 'auto-rollback']);

export function stateFacts(lab: LabInfo): StateFacts | { unreadable: string } {
  let state: { live?: string; switchCount?: number; history?: Record<string, unknown>[] };
  try {
    state = JSON.parse(readFileSync(lab.stateFile, 'utf8')) as typeof state;
  } catch (e) {
    return { unreadable: (e as Error).message };
  }
  const rotatedFile = `${lab.stateFile}.history.jsonl`;
  const rotated = existsSync(rotatedFile) ? readFileSync(rotatedFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  const history = [...rotated, ...(state.history ?? [])];
  let live: string | undefined;
  let broken: string | undefined;
  for (const [i, h] of history.entries()) {
    if (h.kind === 'reconcile') live = String(h.live);
    else if (SWITCH_KINDS.has(String(h.kind))) {
      if (live !== undefined && h.from !== live && !broken) broken = `entry ${i + 1} (${String(h.kind)}) switches from ${String(h.from)}, but the entry before left ${live} LIVE`;
      live = String(h.to);
    }
  }
  return { live: state.live, switchCount: state.switchCount ?? 0, switches: history.filter((h) => SWITCH_KINDS.has(String(h.kind))).length, broken, lastLive: live };
}

/** The lock is free (taking it for a moment, between operations, is harmless here). */
export function lockIsFree(lab: LabInfo): boolean {
  try {
    execFileSync('flock', ['-n', `${lab.stateFile}.lock`, 'true']);
    return true;
  } catch {
    return false;
  }
}

/** Files a finished or killed operation must not leave: the candidate config, a half-written state file. */
export function leftovers(lab: LabInfo): string[] {
  const left: string[] = [];
  if (existsSync(`${lab.haproxyConfig}.bluegreen-new`)) left.push(`${lab.haproxyConfig}.bluegreen-new`);
  const dir = path.dirname(lab.stateFile);
  for (const f of readdirSync(dir)) if (f.startsWith('.bluegreen-state.')) left.push(path.join(dir, f));
  return left;
}
