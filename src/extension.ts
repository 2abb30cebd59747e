import * as vscode from 'vscode';
import { registerCommands } from './commands/registry';
import { CONFIG_FILE_NAME } from './core/config/load';
import { AutoRefresh } from './ui/autoRefresh';
import { OutputReporter } from './ui/outputReporter';
import { vscodePrompts } from './ui/prompts';
import { StatusBadge } from './ui/statusBar';
import { StatusModel } from './ui/statusModel';
import { StatusTreeProvider } from './ui/tree';
import { confirmSeam } from './ui/vscodeConfirm';

/** Returned from activate() for the extension-host tests; not a public API. */
export interface ExtensionApi {
  model: StatusModel;
  badge: StatusBadge;
  tree: StatusTreeProvider;
  /** Answers confirmations in tests (workbench dialogs cannot be automated). */
  confirmSeam: typeof confirmSeam;
  /** Recent output channel lines. */
  outputLines: readonly string[];
  /** How long activate() took. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Blue-Green', { log: true });
  const model = new StatusModel(output, vscodePrompts());
  const tree = new StatusTreeProvider(model);
  const view = vscode.window.createTreeView('bluegreen.status', { treeDataProvider: tree, showCollapseAll: true });
  const badge = new StatusBadge(model);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
  const reload = () => void model.loadConfig().then(() => (view.visible ? model.refresh() : undefined));
  watcher.onDidChange(reload);
  watcher.onDidCreate(reload);
  watcher.onDidDelete(reload);
  context.subscriptions.push(output, model, tree, view, badge, watcher, vscode.workspace.onDidChangeWorkspaceFolders(reload));

  registerCommands({ context, output, model });
  // Reading the local config is cheap and needs no network; probing waits for the view.
  void model.loadConfig().then(() => context.subscriptions.push(new AutoRefresh(view, model)));
  const activationMs = performance.now() - started;
  output.info(`[activate] ${activationMs.toFixed(1)} ms`);
  return { model, badge, tree, confirmSeam, outputLines: OutputReporter.recent, activationMs };
}

// Nothing to do: every resource is a disposable in context.subscriptions, and
// deactivate() is not guaranteed to run.
export function deactivate(): void {}
