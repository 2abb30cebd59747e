import { ChildProcess, execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import * as net from 'node:net';
import { promisify } from 'node:util';

export const exec = promisify(execFile);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts a long-lived process that outlives this one, logging to `logFile`. */
export function startDetached(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: env ?? process.env });
  child.unref();
  return child;
}

export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lab: timed out waiting for ${what}`);
}

/** SIGTERM, then SIGKILL whatever is still there after a grace period. */
export async function stopPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  const living = pids.filter(isAlive);
  for (const pid of living) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && living.some(isAlive)) await new Promise((r) => setTimeout(r, 50));
  for (const pid of living.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
