import { frontendHealth, lbHost } from '../config/hostRefs';
import { AppConfig, otherSlot, SlotName } from '../config/types';
import { errorMessage } from '../errors';
import { fromHost, HOST_TEXT_LIMITS } from '../hostText';
import { CommandRunner, HttpResult } from '../ssh/runner';
import { parseHealthBody } from './parse';
import { servedByBody } from './servedBy';
import { slotLabel, SlotSnapshot } from './snapshot';
import { TrafficProof } from './trafficProof';

/** One request to the health path through the app's frontend, from its LB host; undefined when no address is configured. */
export async function askThroughFrontend(runner: CommandRunner, app: AppConfig, signal?: AbortSignal): Promise<HttpResult | { error: string } | undefined> {
  const target = frontendHealth(app);
  if (!target) return undefined;
  try {
    return await runner.httpGet(lbHost(app), target.url, { timeoutMs: app.health.timeoutMs, hostHeader: target.hostHeader, signal });
  } catch (e) {
    return { error: fromHost(errorMessage(e), HOST_TEXT_LIMITS.detail) };
  }
}

/** Whose identity answered the request through the frontend: the slots' own health bodies are the reference. */
export function whoAnswered(answer: HttpResult | { error: string }, slots: Record<SlotName, SlotSnapshot>, live: SlotName): NonNullable<TrafficProof['request']> {
  if ('error' in answer) return { answeredBy: 'unknown', detail: `no answer: ${answer.error}` };
  const standby = otherSlot(live);
  const served = servedByBody(parseHealthBody(answer.body), slots[standby], slots[live]);
  const from = (slot: SlotName) => `HTTP ${answer.status} from ${slotLabel(slot)}, by its health body`;
  if (served.by === 'new') return { answeredBy: 'standby', detail: from(standby) };
  if (served.by === 'old') return { answeredBy: 'live', detail: from(live) };
  return { answeredBy: served.by, detail: `HTTP ${answer.status}; ${served.detail}` };
}
