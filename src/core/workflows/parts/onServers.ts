import { ServerConfig } from '../../config/types';
import { errorMessage } from '../../errors';
import { WorkflowError } from './operation';

/**
 * Runs one step on every server of a slot, `parallel` at a time. The step fails as a whole:
 * once one server fails no other starts it, those already running finish (a half-run install
 * is worse than a finished one), and the error names every server that failed.
 */
export async function onServers<T>(servers: readonly ServerConfig[], parallel: number | undefined, step: (server: ServerConfig) => Promise<T>): Promise<T[]> {
  if (servers.length === 1) return [await step(servers[0])];
  const results: T[] = new Array<T>(servers.length);
  const failures: { server: ServerConfig; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < servers.length && !failures.length) {
      const i = next++;
      try {
        results[i] = await step(servers[i]);
      } catch (error) {
        failures.push({ server: servers[i], error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel ?? servers.length, servers.length) }, worker));
  if (!failures.length) return results;
  const [first] = failures;
  if (failures.length === 1) throw first.error;
  const also = failures.slice(1).map((f) => `${f.server.name} (${f.error instanceof WorkflowError ? f.error.detail : errorMessage(f.error)})`).join(', ');
  if (first.error instanceof WorkflowError) {
    const e = first.error;
    throw new WorkflowError(e.reason, e.step, e.host, `${e.detail}; also failed on ${also}`, e.stateNow, e.lastLines, { cause: e });
  }
  throw first.error;
}
