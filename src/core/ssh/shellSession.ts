import { randomBytes } from 'node:crypto';
import { ClientChannel } from 'ssh2';
import { BlueGreenError } from '../errors';
import { timeoutText } from '../format';
import { LineSplitter, PidAnnouncement, STDERR_LIMIT, STDOUT_LIMIT, withDropped } from './output';
import { RunOptions, RunResult } from './runner';

export type ShellRunOptions = Pick<RunOptions, 'onStdout' | 'onStderr' | 'signal'> & { timeoutMs: number };

/**
 * One long-lived `sh` on a host, fed scripts over stdin, one at a time, each framed by
 * markers with a fresh nonce. sshd sets up a whole session for every exec channel; a
 * command in a shell that is already there skips all of it (bench/results.md has the figures).
 *
 * The shell prints its pid first; sshd made it the leader of its own process group, so a
 * timeout or cancel kills that group through `kill` — the shell goes with the script, and
 * the next script starts a fresh one. Each script runs in a subshell with no stdin, so
 * `exit`, `cd` and variables never leak into the next.
 */
export class ShellSession {
  private channel?: Promise<ClientChannel>;
  private queue: Promise<unknown> = Promise.resolve();
  private announcement = new PidAnnouncement();
  private stdout = new StreamText(STDOUT_LIMIT, 'fail');
  private stderr = new StreamText(STDERR_LIMIT, 'keep-tail');
  private waiter?: () => void;
  private broken?: string;

  constructor(
    private readonly label: string,
    /** Opens a `sh -s` that first announces its pid (see PidAnnouncement), behind any `via` prefix. */
    private readonly open: () => Promise<ClientChannel>,
    /** Kills the process group led by `pid` (from another channel); nothing to do without one. */
    private readonly kill: (pid: string | undefined) => Promise<void>,
  ) {}

  run(script: string, o: ShellRunOptions): Promise<RunResult> {
    const result = this.queue.then(() => this.runNow(script, o));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    void this.channel?.then((c) => c.close(), () => undefined);
    this.channel = undefined;
  }

  private start(): Promise<ClientChannel> {
    this.broken = undefined;
    const announcement = (this.announcement = new PidAnnouncement());
    const opening = this.open().then((channel) => {
      const wake = () => this.waiter?.();
      channel.on('data', (chunk: Buffer) => {
        const own = announcement.push(chunk);
        if (!own?.length) return;
        this.stdout.push(own);
        wake();
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        this.stderr.push(chunk);
        wake();
      });
      channel.on('close', () => {
        this.broken = 'the shell session ended';
        if (this.channel === opening) this.channel = undefined;
        wake();
      });
      return channel;
    });
    opening.catch(() => {
      if (this.channel === opening) this.channel = undefined;
    });
    return opening;
  }

  private async runNow(script: string, o: ShellRunOptions): Promise<RunResult> {
    if (o.signal?.aborted) throw new BlueGreenError('aborted', `${this.label}: cancelled before it started`, this.label);
    this.channel ??= this.start();
    const channel = await this.channel;
    const end = `@@bg-end-${randomBytes(8).toString('hex')}`;
    this.stdout = new StreamText(STDOUT_LIMIT, 'fail', end, o.onStdout);
    this.stderr = new StreamText(STDERR_LIMIT, 'keep-tail', end, o.onStderr);
    channel.write(`(\n${script}\n) </dev/null\nprintf '\\n%s %s\\n' '${end}' "$?"\nprintf '\\n%s\\n' '${end}' >&2\n`);
    // indexOf, not a regular expression (compiling one per command cost more than the rest of a
    // warm probe here), searching only what arrived since the last check.
    const outMark = `\n${end} `;
    let searchedTo = 0;
    const errMark = `\n${end}\n`;
    return new Promise<RunResult>((resolve, reject) => {
      let stopping = false;
      const finish = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
      };
      const stop = (error: BlueGreenError) => {
        if (stopping) return;
        stopping = true;
        finish();
        void this.kill(this.announcement.pid).catch(() => undefined).finally(() => {
          this.close();
          reject(error);
        });
      };
      const timer = setTimeout(() => stop(new BlueGreenError('timeout', `${this.label}: the command ran longer than ${timeoutText(o.timeoutMs)}; its remote processes were killed`, this.label)), o.timeoutMs);
      const onAbort = () => stop(new BlueGreenError('aborted', `${this.label}: cancelled; the remote processes were killed`, this.label));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const check = () => {
        if (stopping) return;
        const text = this.stdout.text;
        const outAt = text.indexOf(outMark, Math.max(0, searchedTo - outMark.length));
        const codeEnd = outAt < 0 ? -1 : text.indexOf('\n', outAt + outMark.length);
        searchedTo = outAt < 0 ? text.length : outAt;
        const errAt = this.stderr.text.indexOf(errMark);
        if (codeEnd >= 0 && errAt >= 0) {
          finish();
          const stdout = text.slice(0, outAt);
          const stderr = this.stderr.text.slice(0, errAt);
          this.stdout.finish();
          this.stderr.finish();
          resolve({ code: Number(text.slice(outAt + outMark.length, codeEnd)), stdout, stderr: withDropped(stderr, this.stderr.dropped, 'tail') });
        } else if (this.stdout.overflowed) {
          stop(new BlueGreenError('step-failed', `${this.label}: the command printed more than ${STDOUT_LIMIT >> 20} MB; it was killed`, this.label));
        } else if (this.broken) {
          finish();
          this.close();
          reject(new BlueGreenError('connection-lost', `${this.label}: ${this.broken} before the command finished; it may still be running there`, this.label));
        }
      };
      this.waiter = check;
      check();
    });
  }
}

/**
 * One stream of a framed script: the text so far (stderr keeps only its tail), and its
 * complete lines passed on as they arrive. The marker's leading newline makes an empty
 * line that is not the script's, so empty lines wait until something follows them.
 */
class StreamText {
  text = '';
  dropped = 0;
  overflowed = false;
  private readonly decoder = new TextDecoder();
  private readonly lines?: LineSplitter;
  private heldEmpty = 0;

  constructor(
    private readonly limit: number,
    /** stdout past the limit fails the script; stderr keeps its tail, where the marker is. */
    private readonly overLimit: 'fail' | 'keep-tail',
    private readonly marker?: string,
    private readonly onLine?: (line: string) => void,
  ) {
    if (onLine) this.lines = new LineSplitter((line) => this.passOn(line));
  }

  push(chunk: Buffer): void {
    this.text += this.decoder.decode(chunk, { stream: true });
    if (this.text.length > this.limit) {
      if (this.overLimit === 'fail') this.overflowed = true;
      else {
        const cut = this.text.length - this.limit;
        this.text = this.text.slice(cut);
        this.dropped += cut;
      }
    }
    this.lines?.push(chunk);
  }

  /** The end marker arrived: of the empty lines still held, the last one was its own. */
  finish(): void {
    for (; this.heldEmpty > 1; this.heldEmpty--) this.onLine?.('');
    this.heldEmpty = 0;
  }

  private passOn(line: string): void {
    if (this.marker && line.startsWith(this.marker)) return;
    if (line === '') {
      this.heldEmpty++;
      return;
    }
    for (; this.heldEmpty > 0; this.heldEmpty--) this.onLine?.('');
    this.onLine?.(line);
  }
}
