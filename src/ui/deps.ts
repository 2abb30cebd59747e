import * as vscode from 'vscode';

/** What command handlers and views get, instead of module-level singletons. */
export interface Deps {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
}
