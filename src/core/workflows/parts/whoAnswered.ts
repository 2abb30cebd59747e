import { AppConfig } from '../../config/types';
import { errorMessage } from '../../errors';
import { parseBackendSessions, parseBackendTraffic } from '../../status/parse';
import { lbHost } from '../../config/hostRefs';
import { Served } from '../../status/servedBy';
import { BackendTraffic } from '../../status/snapshot';
import { CommandRunner } from '../../ssh/runner';

export interface BackendCounters {
  read(): Promise<Map<string, number>>;
  traffic(): Promise<Map<string, BackendTraffic>>;
}

/** HAProxy's own account: sessions per backend from the stats socket, which count every request it routes, 503s included. */
export function backendCounters(runner: CommandRunner, app: AppConfig): BackendCounters | undefined {
  const socket = app.loadBalancer.statsSocket;
  if (!socket) return undefined;
  // `-1 2 -1`: every proxy, backend rows only.
  const ask = () => runner.askUnixSocket(lbHost(app), socket, 'show stat -1 2 -1', { timeoutMs: 5000 });
  return {
    read: async () => parseBackendSessions(await ask()),
    traffic: async () => parseBackendTraffic(await ask()),
  };
}

/** Which backend's count moved while the request was made; anything else is not an answer. */
export function servedByCounters(before: Map<string, number>, after: Map<string, number>, targetBackend: string, oldBackend: string): Served {
  const moved = (b: string) => (after.get(b) ?? NaN) - (before.get(b) ?? NaN);
  const [toNew, toOld] = [moved(targetBackend), moved(oldBackend)];
  if (Number.isNaN(toNew) || Number.isNaN(toOld)) return { by: 'unknown', detail: `the stats socket does not list backend ${Number.isNaN(toNew) ? targetBackend : oldBackend}` };
  // A count going down means the two reads came from different HAProxy processes (a reload in between).
  if (toNew < 0 || toOld < 0 || (toNew > 0 && toOld > 0)) return { by: 'unknown', settling: true, detail: `both backends' counts moved (${targetBackend} ${toNew}, ${oldBackend} ${toOld})` };
  if (toNew > 0) return { by: 'new', how: 'counters' };
  if (toOld > 0) return { by: 'old', how: 'counters' };
  return { by: 'neither', how: 'counters', detail: `neither ${targetBackend} nor ${oldBackend} counted the request` };
}

/** Reads the counters around `request`; a failed read leaves the answer to the body. */
export async function countedAround<T>(counters: BackendCounters, request: () => Promise<T>): Promise<{ result: T; before?: Map<string, number>; after?: Map<string, number>; error?: string }> {
  let before: Map<string, number> | undefined;
  try {
    before = await counters.read();
  } catch (e) {
    return { result: await request(), error: errorMessage(e) };
  }
  const result = await request();
  try {
    return { result, before, after: await counters.read() };
  } catch (e) {
    return { result, error: errorMessage(e) };
  }
}
