import { BlueGreenError } from '../errors';
import { timeoutText } from '../format';
import { CappedBuffer, LineSplitter, STDERR_LIMIT, STDOUT_LIMIT } from './output';
import { RunOptions, RunResult } from './runner';

export type ExecutionOptions = Pick<RunOptions, 'onStdout' | 'onStderr' | 'signal'> & { timeoutMs: number };

/**
 * One remote command as the caller sees it, whichever way it runs (a channel of its own or a
 * long-lived shell): the timeout, Cancel, the kill of its process group, the output limits
 * (stdout keeps its head, stderr its tail, each saying how much it dropped) and the lines
 * passed on as they arrive. The way it runs feeds it the command's own bytes and its end.
 */
export class Execution {
  readonly result: Promise<RunResult>;
  private readonly stdoutKept = new CappedBuffer(STDOUT_LIMIT, 'head');
  private readonly stderrKept = new CappedBuffer(STDERR_LIMIT, 'tail');
  private readonly stdoutLines: LineSplitter;
  private readonly stderrLines: LineSplitter;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: () => void;
  private settled = false;
  private stopping = false;
  private resolve!: (r: RunResult) => void;
  private reject!: (e: unknown) => void;

  constructor(
    private readonly label: string,
    private readonly o: ExecutionOptions,
    /** Kills the command's process group and closes what it ran in; the execution then fails. */
    private readonly stop: () => Promise<void>,
  ) {
    this.result = new Promise<RunResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.stdoutLines = new LineSplitter((line) => o.onStdout?.(line));
    this.stderrLines = new LineSplitter((line) => o.onStderr?.(line));
    this.timer = setTimeout(() => this.kill(new BlueGreenError('timeout', `${label}: the command ran longer than ${timeoutText(o.timeoutMs)}; its remote processes were killed`, label)), o.timeoutMs);
    this.onAbort = () => this.kill(new BlueGreenError('aborted', `${label}: cancelled; the remote processes were killed`, label));
    o.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (o.signal?.aborted) this.onAbort();
  }

  get ended(): boolean {
    return this.settled || this.stopping;
  }

  stdout(chunk: Buffer): void {
    if (this.ended || !chunk.length) return;
    this.stdoutKept.push(chunk);
    this.stdoutLines.push(chunk);
  }

  stderr(chunk: Buffer): void {
    if (this.ended || !chunk.length) return;
    this.stderrKept.push(chunk);
    this.stderrLines.push(chunk);
  }

  /** The command ended with this status (a null code: killed by a signal, or no status sent). */
  exited(code: number | null, signal?: string): void {
    this.settle(() => this.resolve({ code, signal, stdout: this.stdoutKept.text(), stderr: this.stderrKept.text() }));
  }

  /** What the command ran in went away before it ended. */
  lost(why: string): void {
    this.settle(() => this.reject(new BlueGreenError('connection-lost', `${this.label}: ${why} before the command finished; it may still be running there`, this.label)));
  }

  private kill(error: BlueGreenError): void {
    if (this.ended) return;
    this.stopping = true;
    void this.stop()
      .catch(() => undefined)
      .finally(() => this.settle(() => this.reject(error), true));
  }

  private settle(outcome: () => void, afterStop = false): void {
    if (this.settled || (this.stopping && !afterStop)) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.o.signal?.removeEventListener('abort', this.onAbort);
    this.stdoutLines.end();
    this.stderrLines.end();
    outcome();
  }
}
