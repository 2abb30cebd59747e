import * as vscode from 'vscode';
import { Reporter } from '../core/workflows/reporter';

/** Writes workflow progress to the Blue-Green output channel, each remote line tagged with its host. */
export class OutputReporter implements Reporter {
  constructor(private readonly output: vscode.LogOutputChannel) {}

  step(title: string, host?: string): void {
    this.output.info(`── ${title}${host ? ` (${host})` : ''} ──`);
  }
  line(host: string, text: string, stream: 'stdout' | 'stderr'): void {
    this.output.info(`[${host}]${stream === 'stderr' ? ' ⟩' : ''} ${text}`);
  }
  stepDone(title: string, ms: number, error?: string): void {
    if (error) this.output.error(`✗ ${title} failed after ${(ms / 1000).toFixed(1)} s: ${error}`);
    else this.output.info(`✓ ${title} (${(ms / 1000).toFixed(1)} s)`);
  }
  info(text: string): void {
    this.output.info(text);
  }
  warn(text: string): void {
    this.output.warn(text);
  }
  error(text: string): void {
    this.output.error(text);
  }
}
