import { createHash } from 'node:crypto';
import { shQuote } from '../../shell';
import { remote } from '../../remote/scripts';
import { SectionedScript } from '../../remote/sections';
import { rotatedHistoryText, StateRead, stateFromRead, stateReadScript, stateText } from '../../state/stateFile';
import { lbHost } from '../../config/hostRefs';
import { OperationContext, remoteStep, WorkflowError } from './operation';

/** The LB's config and state file as they are now, read under the lock, byte for byte. */
export interface LbFiles {
  /** haproxy.cfg, one character a byte (latin1): any byte, UTF-8 or not, goes back as it came. */
  config: string;
  configSha256: string;
  state: StateRead;
}

/** The sha256 of a config text held one character a byte, as `sha256sum` computes it on the host. */
export function sha256(bytes: string): string {
  return createHash('sha256').update(bytes, 'latin1').digest('hex');
}

/** `base64 < haproxy.cfg` as printed on the host, back to the config one character a byte. */
export function configFromBase64(printed: string): string {
  return Buffer.from(printed.replace(/\s+/g, ''), 'base64').toString('latin1');
}

/** A config text held one character a byte, as base64 for the switch script. */
export function configBase64(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('base64');
}

export async function readLbFiles(ctx: OperationContext, stateNow: string): Promise<LbFiles> {
  const c = ctx.app.loadBalancer;
  // base64 keeps the exact bytes (a trailing newline or its absence included).
  const script = new SectionedScript()
    .add('cfg', `base64 < ${shQuote(c.config)}`)
    .add('state', stateReadScript(c.stateFile));
  const r = await ctx.runner.run(lbHost(ctx.app), script.script, { signal: ctx.signal, timeoutMs: 20000, lane: 'probe' });
  const parts = script.parse(r.stdout);
  const cfg = parts.get('cfg');
  if (!cfg || cfg.code !== 0) throw new WorkflowError('step-failed', 'Read HAProxy config', c.ssh, `cannot read ${c.config}: ${cfg?.output.trim() ?? r.stderr.trim()}`, stateNow);
  const config = configFromBase64(cfg.output);
  const state = parts.get('state');
  return { config, configSha256: sha256(config), state: state ? stateFromRead(state.code, state.output) : { kind: 'corrupt', error: 'not read' } };
}

/** write-state.sh's exit code when the state file is a symlink, a directory or another non-file. */
const NOT_A_PLAIN_FILE = 44;

/**
 * Writes the state file (atomically, under the caller's lock). A state file that could not be
 * read is never replaced silently: it is kept beside the new one, and the reporter says where.
 */
export async function writeStateFile(ctx: OperationContext, title: string, read: StateRead, next: Record<string, unknown>, stateIfFailed: () => string, keepAs?: string, movedHistory: readonly unknown[] = []): Promise<void> {
  const file = ctx.app.loadBalancer.stateFile;
  const kept = keepAs ?? (read.kind === 'corrupt' ? `${file}.bluegreen-corrupt-${new Date().toISOString().replace(/[:.]/g, '')}` : undefined);
  const r = await remoteStep(ctx, title, lbHost(ctx.app), remote.writeState(file, Buffer.from(stateText(next), 'utf8').toString('base64'), kept, movedHistory.length ? Buffer.from(rotatedHistoryText(movedHistory), 'utf8').toString('base64') : undefined), stateIfFailed, { lane: 'step', runToEnd: true, allowFailure: true });
  if (r.code !== 0) {
    const why = r.code === NOT_A_PLAIN_FILE ? `${file} is a symlink or not a plain file; nothing was written through it` : `exit code ${r.code ?? r.signal}`;
    throw new WorkflowError('step-failed', title, ctx.app.loadBalancer.ssh, why, stateIfFailed());
  }
  if (read.kind === 'corrupt') ctx.reporter.warn(`the state file could not be read (${read.error}); it was kept as ${kept} and a new one written`);
}
