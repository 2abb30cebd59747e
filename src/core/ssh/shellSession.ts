import { randomBytes } from 'node:crypto';
import { ClientChannel } from 'ssh2';
import { BlueGreenError } from '../errors';
import { RunResult } from './runner';

const LIMIT = 16 * 1024 * 1024;

/**
 * One long-lived `sh` on a host, fed short read-only probes over stdin, one at a time, each
 * framed by markers with a fresh nonce. sshd spends 100–150 ms setting up every exec channel;
 * a command in a shell that is already there answers in about a millisecond. Anything that
 * changes a host, streams output or may need killing still gets its own channel.
 */
export class ShellSession {
  private channel?: Promise<ClientChannel>;
  private queue: Promise<unknown> = Promise.resolve();
  private stdout = '';
  private stderr = '';
  private waiter?: () => void;
  private broken?: string;

  constructor(
    private readonly label: string,
    private readonly open: () => Promise<ClientChannel>,
  ) {}

  run(script: string, timeoutMs: number): Promise<RunResult> {
    const result = this.queue.then(() => this.runNow(script, timeoutMs));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    void this.channel?.then((c) => c.close(), () => undefined);
    this.channel = undefined;
  }

  private start(): Promise<ClientChannel> {
    this.broken = undefined;
    this.stdout = '';
    this.stderr = '';
    const opening = this.open().then((channel) => {
      const wake = () => this.waiter?.();
      channel.on('data', (chunk: Buffer) => {
        this.stdout += chunk.toString('utf8');
        wake();
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        this.stderr += chunk.toString('utf8');
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

  private async runNow(script: string, timeoutMs: number): Promise<RunResult> {
    this.channel ??= this.start();
    const channel = await this.channel;
    const nonce = randomBytes(8).toString('hex');
    const end = `@@bg-end-${nonce}`;
    this.stdout = '';
    this.stderr = '';
    // The subshell keeps `exit` and `cd` in the script from ending or moving the session.
    channel.write(`(\n${script}\n) </dev/null\nprintf '\\n%s %s\\n' '${end}' "$?"\nprintf '\\n%s\\n' '${end}' >&2\n`);
    const outRe = new RegExp(`\\n${end} (\\d+)\\n`);
    const errMark = `\n${end}\n`;
    return new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.close();
        reject(new BlueGreenError('timeout', `${this.label}: no answer within ${Math.round(timeoutMs / 1000)} s`, this.label));
      }, timeoutMs);
      const check = () => {
        const out = outRe.exec(this.stdout);
        const errAt = this.stderr.indexOf(errMark);
        if (out && errAt >= 0) {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve({ code: Number(out[1]), stdout: this.stdout.slice(0, out.index), stderr: this.stderr.slice(0, errAt) });
        } else if (this.broken || this.stdout.length > LIMIT) {
          clearTimeout(timer);
          this.waiter = undefined;
          this.close();
          reject(new BlueGreenError('connection-lost', `${this.label}: ${this.broken ?? 'too much output'} before the command finished`, this.label));
        }
      };
      this.waiter = check;
      check();
    });
  }
}
