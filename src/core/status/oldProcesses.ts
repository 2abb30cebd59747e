import { lbHost } from '../config/hostRefs';
import { AppConfig } from '../config/types';
import { parseShowProc } from '../haproxy/masterCli';
import { CommandRunner } from '../ssh/runner';
import { parseShowInfo } from './parse';
import { OldProcess } from './snapshot';

/**
 * The HAProxy processes left over from reloads, each with the connections it still holds,
 * from the master CLI (`show proc`, then `@!PID show info` for each, in one connection);
 * undefined without `loadBalancer.masterSocket`. Rejects while the master re-executes itself
 * during a reload (it refuses connections for that moment).
 */
export async function oldProcesses(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<OldProcess[] | undefined> {
  const socket = app.loadBalancer.masterSocket;
  if (!socket) return undefined;
  const ask = (line: string) => runner.askUnixSocket(lbHost(app), socket, line, { timeoutMs: 5000, signal });
  const { oldWorkers } = parseShowProc(await ask('show proc'));
  if (!oldWorkers.length) return [];
  const answer = await ask(oldWorkers.map((w) => `@!${w.pid} show info`).join(';'));
  const connections = new Map<number, number>();
  for (const part of answer.split(/^(?=Name: )/m)) {
    const info = parseShowInfo(part);
    if (info.Pid) connections.set(Number(info.Pid), Number(info.CurrConns));
  }
  // A process absent from the answer exited between the two questions.
  return oldWorkers.filter((w) => connections.has(w.pid)).map((w) => ({ pid: w.pid, uptime: w.uptime, connections: connections.get(w.pid) }));
}

