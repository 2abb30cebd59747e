import * as vscode from 'vscode';
import { registerCommands } from './commands/registry';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Blue-Green', { log: true });
  context.subscriptions.push(output);
  registerCommands({ context, output });
}

// Nothing to do: every resource is a disposable in context.subscriptions, and
// deactivate() is not guaranteed to run.
export function deactivate(): void {}
