import { Config } from '../../core/config/types';
import { CommandRunner } from '../../core/ssh/runner';
import { takeSnapshot } from '../../core/status/refresh';
import { severity } from '../../core/status/snapshot';
import { renderSnapshot } from '../render';

/** Exit 0 when every app is healthy, 1 when any needs attention (scripts can gate on it). */
export async function statusCommand(runner: CommandRunner, config: Config, json: boolean): Promise<number> {
  const snapshot = await takeSnapshot(runner, config);
  console.log(json ? JSON.stringify(snapshot, null, 2) : renderSnapshot(snapshot));
  return snapshot.apps.every((a) => severity(a) === 'ok') ? 0 : 1;
}
