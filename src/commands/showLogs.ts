import { readLogs } from '../core/workflows/logs';
import { Deps } from '../ui/deps';
import { appFor, targetOf } from '../ui/operations';
import { nodeHost } from '../ui/nodeHosts';
import { pickHostRow } from '../ui/pickHost';

/** Lines shown before following: enough to see the last start or crash. */
const SHOWN_LINES = 100;

/**
 * Show Logs on a slot, a server or the load balancer: the app's own log (or HAProxy's) in an
 * output channel of its own, followed until cancelled. It reads only, so it runs beside an
 * operation and takes no lock.
 */
export async function showLogs(deps: Deps, arg?: unknown): Promise<void> {
  const app = await appFor(deps, targetOf(arg));
  if (!app) return;
  const row = nodeHost(app, arg) ?? (await pickHostRow(deps.model, app, 'Show Logs'));
  if (!row) return;
  const target = row.kind === 'lb' ? 'lb' : row.slot!;
  await deps.logs.follow(`Blue-Green Logs: ${app.name} ${row.title}`, row.title, (signal, onLine) => readLogs(deps.model.runner, app, { target, server: row.server, lines: SHOWN_LINES, follow: true, signal, onLine }));
}
