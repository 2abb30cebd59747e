import * as path from 'node:path';
import { LoadBalancerConfig } from '../config/types';
import { fillTemplate, shQuote } from '../shell';
import { MARK_PREFIX } from '../ssh/output';

export const RELOADED = `${MARK_PREFIX}reloaded`;

/** Exit codes of the switch script, each a distinct failure with its own message. */
export const SWITCH_EXIT = {
  configChanged: 30,
  cannotStage: 31,
  invalid: 10,
  cannotReplace: 32,
  reloadFailed: 20,
} as const;

function paths(lb: LoadBalancerConfig) {
  return { cfg: lb.config, candidate: `${lb.config}.bluegreen-new`, previous: `${lb.config}.bluegreen-previous` };
}

/**
 * Replaces haproxy.cfg with `next` only if it still is the file we read (sha256), the
 * candidate passes validation, and — if the reload fails — puts the previous file back and
 * reloads again. The candidate sits beside the config so the final `mv` is an atomic rename.
 */
export function switchScript(lb: LoadBalancerConfig, expectedSha256: string, next: string): string {
  const p = paths(lb);
  const [cfg, candidate, previous] = [shQuote(p.cfg), shQuote(p.candidate), shQuote(p.previous)];
  return [
    `current=$(sha256sum < ${cfg} | cut -d' ' -f1)`,
    `[ "$current" = ${shQuote(expectedSha256)} ] || { echo "${p.cfg} changed since it was read; nothing was changed" >&2; exit ${SWITCH_EXIT.configChanged}; }`,
    // cp -p first so the candidate has the config's owner and mode.
    `cp -p ${cfg} ${candidate} && printf '%s' ${shQuote(Buffer.from(next, 'utf8').toString('base64'))} | base64 -d > ${candidate} || { rm -f ${candidate}; exit ${SWITCH_EXIT.cannotStage}; }`,
    `${fillTemplate(lb.validate, { file: p.candidate })} || { rm -f ${candidate}; echo 'the candidate config is invalid; nothing was changed' >&2; exit ${SWITCH_EXIT.invalid}; }`,
    `cp -p ${cfg} ${previous} && mv -f ${candidate} ${cfg} || { rm -f ${candidate}; exit ${SWITCH_EXIT.cannotReplace}; }`,
    `if ! { ${lb.reload}\n}; then echo 'reload failed; restoring the previous config' >&2; ${putBack(p)} && { ${lb.reload}\n}; exit ${SWITCH_EXIT.reloadFailed}; fi`,
    `echo ${RELOADED}`,
  ].join('\n');
}

/** Puts back the config saved by the switch and reloads. */
export function restoreScript(lb: LoadBalancerConfig): string {
  return `${putBack(paths(lb))} && { ${lb.reload}\n}`;
}

/**
 * The saved config back in place by rename, never copied over the live file: a reload (or
 * a master still reading the config) could otherwise read half of it; copying over it in place
 * made the cancel-during-switch lab test fail now and then.
 */
function putBack(p: ReturnType<typeof paths>): string {
  return `cp -p ${shQuote(p.previous)} ${shQuote(p.candidate)} && mv -f ${shQuote(p.candidate)} ${shQuote(p.cfg)}`;
}

/**
 * temp file in the same dir, fsync, rename: readers see the old file or the new one, never
 * half. `keepAs`: the file as it was is copied there first (a corrupt file, a reconcile).
 */
export function writeStateScript(stateFile: string, content: string, keepAs?: string): string {
  const dir = shQuote(path.posix.dirname(stateFile));
  const state = shQuote(stateFile);
  return [
    `mkdir -p ${dir} || exit 40`,
    keepAs ? `if [ -e ${state} ]; then cp -p ${state} ${shQuote(keepAs)} || exit 43; fi` : '',
    `tmp=$(mktemp ${shQuote(`${path.posix.dirname(stateFile)}/.bluegreen-state.XXXXXX`)}) || exit 40`,
    `printf '%s' ${shQuote(Buffer.from(content, 'utf8').toString('base64'))} | base64 -d > "$tmp" || { rm -f "$tmp"; exit 41; }`,
    `[ -e ${state} ] && { chmod --reference=${state} "$tmp" 2>/dev/null; chown --reference=${state} "$tmp" 2>/dev/null; }`,
    `sync "$tmp" 2>/dev/null || sync`,
    `mv -f "$tmp" ${state} || { rm -f "$tmp"; exit 42; }`,
  ]
    .filter(Boolean)
    .join('\n');
}
