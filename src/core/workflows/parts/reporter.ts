import { redact, Redacted } from '../../redact';

/** Where a workflow says what it does: the output channel in VS Code, stderr in the CLI. */
export interface Reporter {
  /** A step begins: a header line in the output. */
  step(title: string, host?: string): void;
  /** One line of remote output (key blocks already replaced; the sink removes credentials). */
  line(host: string, text: string, stream: 'stdout' | 'stderr'): void;
  /** A step ended: its duration, or why it failed. */
  stepDone(title: string, ms: number, error?: string): void;
  info(text: string): void;
  warn(text: string): void;
}

export type LineLevel = 'info' | 'warn' | 'error';

/**
 * A reporter that writes each event as one line, the way the output channel shows them
 * ("── Build (lab-green) ──", "[lab-green] …", "✓ Build (0.3 s)"); MCP progress uses the same lines.
 */
export function lineReporter(write: (level: LineLevel, text: Redacted) => void): Reporter {
  // The one place every line passes on its way out: credentials are removed here.
  const say = (level: LineLevel, text: string) => write(level, redact(text));
  return {
    step: (title, host) => say('info', `── ${title}${host ? ` (${host})` : ''} ──`),
    // stdout and stderr alike: tools print progress on stderr, and a marker read as stray punctuation.
    line: (host, text) => say('info', `[${host}] ${text}`),
    stepDone: (title, ms, error) => (error ? say('error', `✗ ${title} failed after ${(ms / 1000).toFixed(1)} s: ${error}`) : say('info', `✓ ${title} (${(ms / 1000).toFixed(1)} s)`)),
    info: (text) => say('info', text),
    warn: (text) => say('warn', text),
  };
}

/** Terminal colour codes (pm2, npm) mean nothing in an output channel or a log file. */
// eslint-disable-next-line no-control-regex -- matching terminal escape codes is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** A remote line without terminal colour codes (credentials are the LineRedactor's). */
export function withoutColours(text: string): string {
  return text.replace(ANSI, '');
}

/** A reporter that keeps everything (tests, and the operation summary). */
export class RecordingReporter implements Reporter {
  readonly lines: string[] = [];
  step(title: string, host?: string): void {
    this.lines.push(`== ${title}${host ? ` (${host})` : ''}`);
  }
  line(host: string, text: string, stream: 'stdout' | 'stderr'): void {
    this.lines.push(`[${host}]${stream === 'stderr' ? '!' : ''} ${text}`);
  }
  stepDone(title: string, ms: number, error?: string): void {
    this.lines.push(error ? `!! ${title} failed after ${ms} ms: ${error}` : `ok ${title} ${ms} ms`);
  }
  info(text: string): void {
    this.lines.push(`i ${text}`);
  }
  warn(text: string): void {
    this.lines.push(`w ${text}`);
  }
}
