import { shQuote } from '../shell';
import appLogs from './scripts/app-logs.sh';
import backup from './scripts/backup.sh';
import customLogs from './scripts/custom-logs.sh';
import branchTip from './scripts/branch-tip.sh';
import checkoutFingerprint from './scripts/checkout-fingerprint.sh';
import fetch from './scripts/fetch.sh';
import haproxyCmdlines from './scripts/haproxy-cmdlines.sh';
import httpGet from './scripts/http-get.sh';
import hostCheck from './scripts/host-check.sh';
import killGroup from './scripts/kill-group.sh';
import lbCheck from './scripts/lb-check.sh';
import lbFacts from './scripts/lb-facts.sh';
import lbLogs from './scripts/lb-logs.sh';
import lock from './scripts/lock.sh';
import lockHolder from './scripts/lock-holder.sh';
import migrationsDiff from './scripts/migrations-diff.sh';
import pm2PidFile from './scripts/pm2-pidfile.sh';
import prismaDatasource from './scripts/prisma-datasource.sh';
import readConfigSources from './scripts/read-config-sources.sh';
import restore from './scripts/restore.sh';
import switchConfig from './scripts/switch.sh';
import targetCommit from './scripts/target-commit.sh';
import unixSocket from './scripts/unix-socket.sh';
import writeState from './scripts/write-state.sh';

/**
 * The remote scripts, each a .sh file of its own (checked by shellcheck, run in unit tests),
 * given its values as $1, $2…: `set --` with every value single-quoted, so no value is ever
 * read as shell. Each builder names what the script takes.
 */
function withArgs(script: string, ...args: (string | number | undefined)[]): string {
  return `set -- ${args.map((a) => shQuote(String(a ?? ''))).join(' ')}\n${script}`;
}

export const remote = {
  backup: (dir: string, backups: string, keep: number) => withArgs(backup, dir, backups, keep),
  fetch: (dir: string, remoteName: string, ref: string, branch: string, mark: string, fetchFirst = true) => withArgs(fetch, dir, remoteName, ref, branch, mark, fetchFirst ? 'fetch' : 'no-fetch'),
  targetCommit: (dir: string, remoteName: string, ref: string, mark: string) => withArgs(targetCommit, dir, remoteName, ref, mark),
  branchTip: (dir: string, remoteName: string, branch: string, mark: string) => withArgs(branchTip, dir, remoteName, branch, mark),
  /** `folder`: made first when missing (staging's lock, beside the checkout). */
  lock: (lockFile: string, holder: string, heldMark: string, busyMark: string, folder?: string) => withArgs(lock, lockFile, holder, heldMark, busyMark, folder),
  lockHolder: (lockFile: string) => withArgs(lockHolder, lockFile),
  /** `validate` names the candidate (`${config}.bluegreen-new`); it and `reload` run as written. */
  switchConfig: (config: string, expectedSha256: string, nextBase64: string, validate: string, reload: string, reloadedMark: string) => withArgs(switchConfig, config, expectedSha256, nextBase64, validate, reload, reloadedMark),
  restore: (config: string, reload: string) => withArgs(restore, config, reload),
  /** `movedBase64`: history lines appended to `${stateFile}.history.jsonl` first. */
  writeState: (stateFile: string, contentBase64: string, keepAs?: string, movedBase64?: string) => withArgs(writeState, stateFile, contentBase64, keepAs, movedBase64),
  pm2PidFile: (name: string, mark: string, known?: { process: string; ticks: string }) => withArgs(pm2PidFile, name, mark, known?.process, known?.ticks),
  checkoutFingerprint: (dir: string) => withArgs(checkoutFingerprint, dir),
  migrationsDiff: (dir: string, from: string, to: string, missingMark: string, globs: string[]) => withArgs(migrationsDiff, dir, from, to, missingMark, ...globs),
  prismaDatasource: (dir: string, commit: string, schema: string) => withArgs(prismaDatasource, dir, commit, schema),
  httpGet: (url: string, protocol: string, host: string, port: string, request: string, seconds: string, hostHeader: string, readLimit: number) => withArgs(httpGet, url, protocol, host, port, request, seconds, hostHeader, readLimit),
  haproxyCmdlines: (endMark: string) => withArgs(haproxyCmdlines, endMark),
  readConfigSources: (mark: string, sources: string[]) => withArgs(readConfigSources, mark, ...sources),
  lbFacts: (config: string) => withArgs(lbFacts, config),
  appLogs: (pm2: string, lines: number, mode: 'follow' | 'once') => withArgs(appLogs, pm2, lines, mode),
  /** `command`: bluegreen.yaml's logs.<slot>, placeholders filled; run as written. */
  customLogs: (command: string, lines: number, mode: 'follow' | 'once', dir: string) => withArgs(customLogs, mode, lines, command, dir),
  lbLogs: (lines: number, mode: 'follow' | 'once', config: string) => withArgs(lbLogs, lines, mode, config),
  hostCheck: (dir: string, remoteName: string, branch: string, tools: string[]) => withArgs(hostCheck, dir, remoteName, branch, ...tools),
  /** `validate`: the command as the config has it, {file} filled in; run as written. */
  lbCheck: (stateFolder: string, validate: string, sudos: string[]) => withArgs(lbCheck, stateFolder, validate, ...sudos),
  unixSocket: (socket: string, line: string, seconds: number) => withArgs(unixSocket, socket, line, seconds),
  /** Not a `sh -s` script: the text for `sh -c TEXT sh PGID` on a channel of its own. */
  killGroupText: killGroup,
};
