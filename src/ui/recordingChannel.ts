import * as vscode from 'vscode';

const KEPT_LINES = 2000;

/** The output channel, with every line it is given also kept in `lines` (test mode only). */
export function recordingChannel(channel: vscode.LogOutputChannel, lines: string[]): vscode.LogOutputChannel {
  const levels = new Set<PropertyKey>(['trace', 'debug', 'info', 'warn', 'error', 'appendLine']);
  return new Proxy(channel, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (!levels.has(key) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (text: unknown, ...rest: unknown[]) => {
        lines.push(text instanceof Error ? text.message : String(text));
        if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
        return (value as (...a: unknown[]) => unknown).call(target, text, ...rest);
      };
    },
  });
}
