import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { BlueGreenError } from '../errors';
import { Execution, ExecutionOptions } from './execution';
import { PidAnnouncement } from './output';
import { RunResult } from './runner';

/**
 * One long-lived `sh` on a host, fed scripts over stdin, one at a time, each framed by an end
 * marker with a fresh nonce. sshd sets up a whole session for every exec channel; a command in
 * a shell that is already there skips all of it (bench/results.md has the figures).
 *
 * The shell prints its pid first; sshd made it the leader of its own process group, so a
 * timeout or cancel kills that group — the shell goes with the script, and the next script
 * starts a fresh one. Each script runs in a subshell with no stdin, so `exit`, `cd` and
 * variables never leak into the next. Timeout, cancel, kill and output limits are the
 * Execution's, as for a command on a channel of its own.
 */
export class ShellSession {
  private channel?: Promise<ClientChannel>;
  private queue: Promise<unknown> = Promise.resolve();
  private announcement = new PidAnnouncement();
  /** The script running now: where the shell's output goes. */
  private current?: { execution: Execution; stdout: EndMarkerScanner; stderr: EndMarkerScanner };

  constructor(
    private readonly label: string,
    /** Opens a `sh -s` that first announces its pid (see PidAnnouncement), behind any `via` prefix. */
    private readonly open: () => Promise<ClientChannel>,
    /** Kills the process group led by `pid` (from another channel); nothing to do without one. */
    private readonly kill: (pid: string | undefined) => Promise<void>,
  ) {}

  run(script: string, o: ExecutionOptions): Promise<RunResult> {
    const result = this.queue.then(() => this.runNow(script, o));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Opens the shell now, so the first script does not wait for it. */
  warm(): Promise<void> {
    this.channel ??= this.start();
    return this.channel.then(() => undefined);
  }

  close(): void {
    void this.channel?.then((c) => c.close(), () => undefined);
    this.channel = undefined;
  }

  private start(): Promise<ClientChannel> {
    const announcement = (this.announcement = new PidAnnouncement());
    const opening = this.open().then((channel) => {
      channel.on('data', (chunk: Buffer) => {
        const own = announcement.push(chunk);
        if (own?.length) this.current?.stdout.push(own);
      });
      channel.stderr.on('data', (chunk: Buffer) => this.current?.stderr.push(chunk));
      channel.on('close', () => {
        if (this.channel === opening) this.channel = undefined;
        this.current?.execution.lost('the shell session ended');
      });
      return channel;
    });
    opening.catch(() => {
      if (this.channel === opening) this.channel = undefined;
    });
    return opening;
  }

  private async runNow(script: string, o: ExecutionOptions): Promise<RunResult> {
    if (o.signal?.aborted) throw new BlueGreenError('aborted', `${this.label}: cancelled before it started`, this.label);
    this.channel ??= this.start();
    const channel = await this.channel;
    const end = `@@bg-end-${randomBytes(8).toString('hex')}`;
    const execution = new Execution(this.label, o, async () => {
      await this.kill(this.announcement.pid);
      this.close();
    });
    // The command ends when both streams carried their marker: stdout's says the exit code.
    let code: number | null | undefined;
    let stderrDone = false;
    const finishIfBoth = () => {
      if (code !== undefined && stderrDone) execution.exited(code);
    };
    const current = {
      execution,
      stdout: new EndMarkerScanner(`${end} `, (b) => execution.stdout(b), (rest) => {
        const n = Number(rest);
        code = Number.isInteger(n) ? n : null;
        finishIfBoth();
      }),
      stderr: new EndMarkerScanner(end, (b) => execution.stderr(b), () => {
        stderrDone = true;
        finishIfBoth();
      }),
    };
    this.current = current;
    try {
      // The marker is found wherever it starts (it is unguessable), so it needs no newline before it.
      channel.write(`(\n${script}\n) </dev/null\nprintf '%s %s\\n' '${end}' "$?"\nprintf '%s\\n' '${end}' >&2\n`);
      return await execution.result;
    } finally {
      if (this.current === current) this.current = undefined;
    }
  }
}

/**
 * Passes a stream on until its end marker (`marker`, then the rest of that line), holding back
 * only the bytes that could be the marker's start: the whole output is never kept to search it.
 */
class EndMarkerScanner {
  private held = Buffer.alloc(0);
  private found = false;
  private readonly marker: Buffer;

  constructor(
    marker: string,
    private readonly onData: (bytes: Buffer) => void,
    private readonly onEnd: (restOfLine: string) => void,
  ) {
    this.marker = Buffer.from(marker, 'latin1');
  }

  push(chunk: Buffer): void {
    if (this.found) return;
    const buffer = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const at = buffer.indexOf(this.marker);
    if (at >= 0) {
      const lineEnd = buffer.indexOf(0x0a, at + this.marker.length);
      if (lineEnd < 0) {
        this.onData(buffer.subarray(0, at));
        this.held = Buffer.from(buffer.subarray(at));
        return;
      }
      this.found = true;
      this.held = Buffer.alloc(0);
      this.onData(buffer.subarray(0, at));
      this.onEnd(buffer.subarray(at + this.marker.length, lineEnd).toString('latin1'));
      return;
    }
    // Hold back only an end that could be the marker's beginning.
    let keep = Math.min(buffer.length, this.marker.length - 1);
    while (keep > 0 && !buffer.subarray(buffer.length - keep).equals(this.marker.subarray(0, keep))) keep--;
    this.onData(buffer.subarray(0, buffer.length - keep));
    this.held = Buffer.from(buffer.subarray(buffer.length - keep));
  }
}
