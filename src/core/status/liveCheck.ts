import { appViaEach } from '../config/appVia';
import { AppConfig } from '../config/types';
import { CommandRunner } from '../ssh/runner';
import { AppSnapshot, slotLabel } from './snapshot';
import { askThroughFrontend, whoAnswered } from './throughFrontend';

/** The cheap check of LIVE between full refreshes: did the frontend answer, and was it LIVE. */
export interface LiveCheck {
  app: string;
  /** ms since the epoch. */
  at: number;
  /** LIVE answered through every frontend of the app. */
  ok: boolean;
  /** What a person reads when it is not ok: "HTTP 503 through the frontend", "STANDBY GREEN answered". */
  problem?: string;
  /** The answer names the other slot than the last full read: the roles changed, read them again. */
  rolesChanged: boolean;
}

/**
 * One request through each of the app's frontends, judged by the last full read's health
 * bodies (`last`): no SSH session beyond the LB's pooled one, no probe of the slots. Undefined
 * when the app has no frontend address to ask.
 */
export async function checkLive(runner: CommandRunner, app: AppConfig, last: AppSnapshot | undefined, signal?: AbortSignal, now = Date.now): Promise<LiveCheck | undefined> {
  const problems: string[] = [];
  let rolesChanged = false;
  let asked = 0;
  for (const via of appViaEach(app)) {
    const answer = await askThroughFrontend(runner, via, signal);
    if (!answer) continue;
    asked++;
    if ('error' in answer) problems.push(`no answer through the frontend: ${answer.error}`);
    else if (answer.status >= 500) problems.push(`HTTP ${answer.status} through the frontend`);
    else if (last?.live) {
      const who = whoAnswered(answer, last.slots, last.live);
      if (who.answeredBy === 'standby') {
        rolesChanged = true;
        problems.push(`${last.standby ? `STANDBY ${slotLabel(last.standby)}` : 'STANDBY'} answered through the frontend`);
      }
    }
  }
  if (!asked) return undefined;
  return { app: app.name, at: now(), ok: problems.length === 0, ...(problems.length ? { problem: problems[0] } : {}), rolesChanged };
}
