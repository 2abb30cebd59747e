import { runningHaproxyScript } from '../haproxy/loadedFiles';
import { remote } from '../remote/scripts';
import { SectionedScript } from '../remote/sections';
import { CommandRunner, HostRef } from '../ssh/runner';
import { shQuote } from '../shell';
import { lockFileOf, STATE_STATUS_LIMIT, stateFromRead, stateReadScript } from '../state/stateFile';
import { unchangedFilesOf, unlessUnchanged } from './unchanged';

export interface Section {
  output: string;
  code: number;
}

/** One LB's files as a refresh reads them, for every app on it. */
export interface LoadBalancerFiles {
  /** `stat -c '%i %s %.9Y %.9Z %Y %n'` of the config and every state file, a line each. */
  stat: string;
  cfg: Section;
  /** stateReadScript's answer, by state file. */
  states: Map<string, Section>;
  /** lock-holder.sh's answer, by state file. */
  locks: Map<string, string>;
  /** The running HAProxy processes' command lines (runningHaproxyScript). */
  haproxy: string;
}

/**
 * One round trip to an LB for every app it serves: the HAProxy config once, each app's state
 * file and lock, and the running HAProxy's command lines. Apps asking in turn queued in the
 * LB's one probe shell, each with its own `stat` and scan of /proc: with 10 apps, the LB was
 * the refresh's slowest host. The config and state files are read only when one of them changed
 * (their fingerprint, as for a slot's checkout).
 */
export async function readLoadBalancerFiles(runner: CommandRunner, host: HostRef, config: string, stateFiles: readonly string[], signal?: AbortSignal): Promise<LoadBalancerFiles> {
  const memo = unchangedFilesOf(runner);
  const memoKey = [host.ssh, host.via ?? '', config, ...stateFiles].join('\0');
  const held = memo.recall(memoKey);
  const stateName = (i: number) => `state ${i}`;
  // Inode, size and nanosecond times of every file: an atomic rename or any write changes them.
  const script = new SectionedScript()
    .add('stat', `fp=$(stat -c '%i %s %.9Y %.9Z %Y %n' -- ${[config, ...stateFiles].map(shQuote).join(' ')} 2>/dev/null); printf '%s\\n' "$fp"`)
    .add('cfg', unlessUnchanged(held?.fingerprint, `cat -- ${shQuote(config)}`));
  stateFiles.forEach((file, i) => script.add(stateName(i), unlessUnchanged(held?.fingerprint, stateReadScript(file, STATE_STATUS_LIMIT))));
  script.add('haproxy', runningHaproxyScript());
  stateFiles.forEach((file, i) => script.add(`lock ${i}`, remote.lockHolder(lockFileOf(file))));
  const r = await runner.run(host, script.script, { signal, timeoutMs: 20000, lane: 'probe' });
  const parsed = script.parse(r.stdout);
  const stat = parsed.get('stat')?.output.trim() ?? '';
  // An app without a state file yet (no release so far) keeps the others' reads skipped: the file's appearing changes `stat`'s answer.
  const sections = memo.settle(memoKey, held, stat, parsed, ['cfg', ...stateFiles.map((_, i) => stateName(i))], (code) => code === 0 || stateFromRead(code, '').kind === 'missing');
  const cfg = sections.get('cfg');
  if (!cfg) throw new Error(`unexpected output (exit ${r.code}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
  const states = new Map<string, Section>();
  const locks = new Map<string, string>();
  stateFiles.forEach((file, i) => {
    const state = sections.get(stateName(i));
    if (state) states.set(file, state);
    locks.set(file, parsed.get(`lock ${i}`)?.output ?? '');
  });
  return { stat, cfg, states, locks, haproxy: parsed.get('haproxy')?.output ?? '' };
}
