/** What a remote command's output may grow to before it is cut (stdout) or trimmed (stderr). */
export const STDOUT_LIMIT = 16 * 1024 * 1024;
export const STDERR_LIMIT = 256 * 1024;

/** The text of a capped stream, saying how much of it was dropped. */
export function withDropped(body: string, dropped: number, kept: 'head' | 'tail'): string {
  if (!dropped) return body;
  return kept === 'head' ? `${body}\n[… ${dropped} more bytes not kept]` : `[… ${dropped} earlier bytes not kept]\n${body}`;
}

/** A line longer than this (a progress bar redrawn with \r, a file printed without newlines) is cut. */
export const LINE_LIMIT = 16 * 1024;

/**
 * Splits a byte stream into lines without breaking multi-byte characters. A line ends at \n,
 * \r\n or a lone \r (progress bars redraw with \r: each state is a line; empty ones are
 * dropped); an endless line is cut as it arrives.
 */
export class LineSplitter {
  private partial = '';
  private cut = false;
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    // A \r at the very end waits: it may be the first half of \r\n.
    const breaks = /\r\n|\n|\r(?!$)/g;
    let start = 0;
    for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
      this.emit(text.slice(start, m.index), m[0] === '\r');
      start = m.index + m[0].length;
    }
    this.partial = text.slice(start);
    if (this.partial.length > LINE_LIMIT) {
      if (!this.cut) this.onLine(`${this.partial.slice(0, LINE_LIMIT)} […]`);
      this.cut = true;
      this.partial = '';
    }
  }

  end(): void {
    const rest = (this.partial + this.decoder.decode()).replace(/\r$/, '');
    this.partial = '';
    if (rest) this.emit(rest, false);
  }

  private emit(line: string, byCarriageReturn: boolean): void {
    // The end of a line already cut and shown is dropped with it.
    if (this.cut) {
      this.cut = false;
      return;
    }
    if (byCarriageReturn && line === '') return;
    this.onLine(line.length > LINE_LIMIT ? `${line.slice(0, LINE_LIMIT)} […]` : line);
  }
}

/**
 * Keeps at most `limit` bytes of a stream: its head or its tail. A remote that floods
 * output must not exhaust memory; the bytes dropped are counted and said.
 */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly keep: 'head' | 'tail',
  ) {}

  push(chunk: Buffer): void {
    if (this.keep === 'head') {
      const room = this.limit - this.size;
      if (room <= 0) {
        this.dropped += chunk.length;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.dropped += chunk.length - part.length;
      this.chunks.push(part);
      this.size += part.length;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length) {
      const excess = this.size - this.limit;
      const head = this.chunks[0];
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
        this.dropped += head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  text(): string {
    return withDropped(Buffer.concat(this.chunks).toString('utf8'), this.dropped, this.keep);
  }
}

/** Every line our scripts print for the code to read starts with this; no person sees one. */
export const MARK_PREFIX = '@@bluegreen-';

export function isMarkLine(line: string): boolean {
  return line.startsWith(MARK_PREFIX);
}

export const PID_MARK = `${MARK_PREFIX}pid `;

/**
 * The remote shell announces its pid on a marked line before the script's output. A login
 * shell that prints something first (a chatty .bashrc) must not be taken for the pid or for
 * the script's output: everything before the marked line is dropped.
 */
export class PidAnnouncement {
  pid?: string;
  private pending = Buffer.alloc(0);

  /** Feeds stdout; returns the script's part of it once the pid is known. */
  push(chunk: Buffer): Buffer | undefined {
    if (this.pid !== undefined) return chunk;
    this.pending = Buffer.concat([this.pending, chunk]);
    const at = this.pending.indexOf(PID_MARK);
    const end = at < 0 ? -1 : this.pending.indexOf(0x0a, at);
    if (end < 0) {
      // Keep only what could still hold the start of the marker.
      if (at < 0 && this.pending.length > 4096) this.pending = this.pending.subarray(this.pending.length - PID_MARK.length);
      return undefined;
    }
    this.pid = this.pending.subarray(at + PID_MARK.length, end).toString('latin1').trim();
    const rest = this.pending.subarray(end + 1);
    this.pending = Buffer.alloc(0);
    return rest;
  }
}
