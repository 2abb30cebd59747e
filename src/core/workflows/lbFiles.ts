import { createHash } from 'node:crypto';
import { shQuote } from '../shell';
import { SectionedScript } from '../remote/sections';
import { lbHost } from '../status/probe';
import { OperationContext, WorkflowError } from './operation';

/** The LB's config and state file as they are now, read under the lock, byte for byte. */
export interface LbFiles {
  config: string;
  configSha256: string;
  /** The state file's fields, or undefined when it does not exist. */
  state?: Record<string, unknown>;
  stateCorrupt?: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function readLbFiles(ctx: OperationContext, stateNow: string): Promise<LbFiles> {
  const c = ctx.app.loadBalancer;
  // base64 keeps the exact bytes (a trailing newline or its absence included).
  const script = new SectionedScript()
    .add('cfg', `base64 < ${shQuote(c.config)}`)
    .add('state', `if [ -e ${shQuote(c.stateFile)} ]; then cat -- ${shQuote(c.stateFile)}; else (exit 44); fi`);
  const r = await ctx.runner.run(lbHost(ctx.app), script.script, { signal: ctx.signal, timeoutMs: 20000, probe: true });
  const parts = script.parse(r.stdout);
  const cfg = parts.get('cfg');
  if (!cfg || cfg.code !== 0) throw new WorkflowError('step-failed', 'Read HAProxy config', c.ssh, `cannot read ${c.config}: ${cfg?.output.trim() ?? r.stderr.trim()}`, stateNow);
  const config = Buffer.from(cfg.output.replace(/\s+/g, ''), 'base64').toString('utf8');
  const files: LbFiles = { config, configSha256: sha256(config) };
  const state = parts.get('state');
  if (state && state.code === 0) {
    try {
      const parsed = JSON.parse(state.output) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) files.state = parsed as Record<string, unknown>;
      else files.stateCorrupt = 'not a JSON object';
    } catch (e) {
      files.stateCorrupt = (e as Error).message;
    }
  } else if (state && state.code !== 44) {
    files.stateCorrupt = state.output.trim();
  }
  return files;
}
