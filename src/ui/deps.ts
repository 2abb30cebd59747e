import * as vscode from 'vscode';
import { StatusModel } from './statusModel';

/** What command handlers and views get, instead of module-level singletons. */
export interface Deps {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  model: StatusModel;
}
