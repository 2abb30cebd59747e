import * as vscode from 'vscode';
import { Reporter } from '../core/workflows/reporter';

const KEPT_LINES = 2000;

/**
 * Writes workflow progress to the Blue-Green output channel (each remote line tagged with
 * its host) and keeps the recent lines, which the tests read.
 */
export class OutputReporter implements Reporter {
  static readonly recent: string[] = [];

  constructor(private readonly output: vscode.LogOutputChannel) {}

  private write(level: 'info' | 'warn' | 'error', text: string): void {
    OutputReporter.recent.push(text);
    if (OutputReporter.recent.length > KEPT_LINES) OutputReporter.recent.splice(0, OutputReporter.recent.length - KEPT_LINES);
    this.output[level](text);
  }

  step(title: string, host?: string): void {
    this.write('info', `── ${title}${host ? ` (${host})` : ''} ──`);
  }
  line(host: string, text: string, stream: 'stdout' | 'stderr'): void {
    this.write('info', `[${host}]${stream === 'stderr' ? ' ⟩' : ''} ${text}`);
  }
  stepDone(title: string, ms: number, error?: string): void {
    if (error) this.write('error', `✗ ${title} failed after ${(ms / 1000).toFixed(1)} s: ${error}`);
    else this.write('info', `✓ ${title} (${(ms / 1000).toFixed(1)} s)`);
  }
  info(text: string): void {
    this.write('info', text);
  }
  warn(text: string): void {
    this.write('warn', text);
  }
  error(text: string): void {
    this.write('error', text);
  }
}
