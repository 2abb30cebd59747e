import { AppConfig, SlotName } from '../../config/types';
import { BlueGreenError, errorMessage, ErrorReason, isBlueGreenError } from '../../errors';
import { isMarkLine } from '../../ssh/output';
import { CommandRunner, HostRef, RunResult, succeeded } from '../../ssh/runner';
import { ConfirmPort } from '../../plan/confirm';
import { Pm2TableCondenser } from '../../ssh/pm2Table';
import { LineRedactor, redact, Redacted } from '../../redact';
import { printErr } from '../../stdio';
import { Reporter, withoutColours } from './reporter';

/** Everything a workflow needs; the UI and the CLI each build one. */
export interface OperationContext {
  runner: CommandRunner;
  app: AppConfig;
  reporter: Reporter;
  confirm: ConfirmPort;
  /** `user@machine`, recorded in the lock and the history. */
  who: Redacted;
  signal?: AbortSignal;
  /** The folder of bluegreen.yaml: where the workspace's own tools (squawk) are looked for. */
  workspace?: string;
  /**
   * HAProxy was seen serving `live` through the frontend (a switch, or a switch back);
   * `watchUntil` (ms since the epoch) while the new LIVE is watched.
   */
  onRouted?(live: SlotName, watchUntil?: number): void;
  /** A deploy (or the deploy inside a bump or a sync) finished: `slot` is healthy on `commit`. */
  onDeployed?(slot: SlotName, commit: string): void;
}

/**
 * The context with its reporter and callbacks unable to throw: once traffic or a slot is
 * being changed, a closed output channel or a failing tree refresh must not stop the
 * workflow halfway (the switch made, the state file not written). What they throw goes to
 * the process's stderr, the one place left to say it.
 */
export function steady(ctx: OperationContext): OperationContext {
  const guard = <A extends unknown[]>(name: string, f: ((...args: A) => void) | undefined) =>
    f &&
    ((...args: A) => {
      try {
        f(...args);
      } catch (e) {
        printErr(redact(`bluegreen: ${name} failed: ${errorMessage(e)}`));
      }
    });
  const r = ctx.reporter;
  const reporter: Reporter = {
    step: guard('output', r.step.bind(r))!,
    line: guard('output', r.line.bind(r))!,
    stepDone: guard('output', r.stepDone.bind(r))!,
    info: guard('output', r.info.bind(r))!,
    warn: guard('output', r.warn.bind(r))!,
  };
  return { ...ctx, reporter, onRouted: guard('onRouted', ctx.onRouted?.bind(ctx)), onDeployed: guard('onDeployed', ctx.onDeployed?.bind(ctx)) };
}

/**
 * A workflow failure that says which step failed, on which host, and what state the
 * system is in now ("LIVE is unchanged: BLUE v1.1.0").
 */
export class WorkflowError extends BlueGreenError {
  constructor(
    reason: ErrorReason,
    readonly step: string,
    host: string | undefined,
    readonly detail: string,
    readonly stateNow: string,
    lastLines: readonly string[] = [],
    options?: { cause?: unknown; gate?: string },
  ) {
    super(reason, `${step} failed${host ? ` on ${host}` : ''}: ${detail}. ${stateNow}`, host, options);
    this.gate = options?.gate;
    // Blank lines say nothing: only lines with text are kept, and none stay none (a split of '' would be one empty line, shown under a heading).
    const said = lastLines.filter((l) => l.trim());
    this.lastLines = said.length ? redact(said.join('\n')).split('\n').filter((l) => l.trim()) : [];
  }

  /** The failed step's last output lines, redacted. */
  readonly lastLines: readonly string[];

  /** The plan's gate that refused (plan/gates.ts), when a refusal stopped it: what a person can do next depends on it. */
  readonly gate?: string;
}

/**
 * A failed step's last output under its heading, as the output channel and an agent's result
 * both show it; undefined when the failure has none.
 */
export function failedStepOutput(e: unknown): string | undefined {
  return e instanceof WorkflowError && e.lastLines.length ? `Last output of the failed step:\n${e.lastLines.join('\n')}` : undefined;
}

const LAST_LINES = 15;

/**
 * Runs one remote step: a header, every output line streamed, a duration, and
 * on failure a WorkflowError carrying the step's last lines.
 */
export async function remoteStep(ctx: OperationContext, title: string, host: HostRef, script: string, stateNow: () => string, o: { timeoutMs?: number; allowFailure?: boolean; lane?: 'step'; runToEnd?: boolean; label?: string } = {}): Promise<RunResult> {
  // A slot's server is named by its `name:` (default: its ssh), every other host by its ssh.
  const label = o.label ?? host.ssh;
  const tail: string[] = [];
  const keep = (text: string) => {
    tail.push(text);
    if (tail.length > LAST_LINES) tail.shift();
  };
  ctx.reporter.step(title, label);
  const started = Date.now();
  const [stdoutRedactor, stderrRedactor] = [new LineRedactor(), new LineRedactor()];
  const pm2Table = new Pm2TableCondenser();
  const shown = (texts: string[]) => {
    for (const text of texts) {
      keep(text);
      ctx.reporter.line(label, text, 'stdout');
    }
  };
  let result: RunResult;
  try {
    result = await ctx.runner.run(host, script, {
      // A step that must not stop half-way (replace the config, then reload) ignores Cancel;
      // its timeout still applies, and Cancel takes effect after it.
      signal: o.runToEnd ? undefined : ctx.signal,
      timeoutMs: o.timeoutMs,
      lane: o.lane,
      onStdout: (l) => {
        if (isMarkLine(l)) return;
        const text = stdoutRedactor.line(withoutColours(l));
        if (text !== undefined) shown(pm2Table.line(text));
      },
      onStderr: (l) => {
        const text = stderrRedactor.line(withoutColours(l));
        if (text === undefined) return;
        keep(text);
        ctx.reporter.line(label, text, 'stderr');
      },
    });
  } catch (e) {
    shown(pm2Table.flush());
    ctx.reporter.stepDone(title, Date.now() - started, errorMessage(e));
    throw new WorkflowError(isBlueGreenError(e) ? e.reason : 'step-failed', title, label, errorMessage(e), stateNow(), tail, { cause: e });
  }
  shown(pm2Table.flush());
  const ms = Date.now() - started;
  if (!succeeded(result)) {
    const why = result.signal ? `killed by ${result.signal}` : result.code === null ? 'no exit status' : `exit code ${result.code}`;
    // Shown as failed either way; with allowFailure the caller says what the exit code means.
    ctx.reporter.stepDone(title, ms, why);
    if (!o.allowFailure) throw new WorkflowError('step-failed', title, label, why, stateNow(), tail);
    return result;
  }
  ctx.reporter.stepDone(title, ms);
  return result;
}

/** A local step (no remote command) with the same header and duration. */
export async function localStep<T>(ctx: OperationContext, title: string, body: () => Promise<T>): Promise<T> {
  ctx.reporter.step(title);
  const started = Date.now();
  try {
    const value = await body();
    ctx.reporter.stepDone(title, Date.now() - started);
    return value;
  } catch (e) {
    ctx.reporter.stepDone(title, Date.now() - started, errorMessage(e));
    throw e;
  }
}

export function throwIfCancelled(ctx: OperationContext, stateNow: string): void {
  if (ctx.signal?.aborted) throw new WorkflowError('aborted', 'Operation', undefined, 'cancelled', stateNow);
}
