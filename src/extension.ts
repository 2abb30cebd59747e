import * as vscode from 'vscode';
import { registerCommands } from './commands/registry';
import { CONFIG_FILE_NAME } from './core/config/fileName';
import { redact } from './core/redact';
import { ApprovalListener } from './ui/approvalListener';
import { trackWalkthrough } from './ui/contextKeys';
import { AutoRefresh } from './ui/autoRefresh';
import { registerLanguageModelTools } from './ui/languageModelTools';
import { registerMcpServer } from './ui/mcpRegistration';
import { Deps } from './ui/deps';
import { LogViewers } from './ui/logViewers';
import { vscodePrompts } from './ui/prompts';
import { blueGreenOutput, recordNotifications, ShownNotification } from './ui/sinks';
import { StatusBadge } from './ui/statusBar';
import { StagingAnnouncer } from './ui/stagingAnnouncer';
import { StagingFollower } from './ui/stagingFollower';
import { StatusModel } from './ui/statusModel';
import { ScriptedConfirm, TestApi } from './ui/testApi';
import { StatusTreeProvider } from './ui/tree';
import { vscodeConfirm } from './ui/vscodeConfirm';

/**
 * Returns a test API in ExtensionMode.Test only. In production it returns nothing: another
 * extension reading our exports must find no way to answer a confirmation.
 */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const outputLines: string[] = [];
  const notifications: ShownNotification[] = [];
  if (testMode) recordNotifications(notifications);
  const { output, channel } = blueGreenOutput(testMode ? outputLines : undefined);
  const model = new StatusModel(output, vscodePrompts());
  const tree = new StatusTreeProvider(model);
  const view = vscode.window.createTreeView('bluegreen.status', { treeDataProvider: tree, showCollapseAll: true });
  const badge = new StatusBadge(model);
  const stagingNews = new StagingAnnouncer(model);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
  const reload = () => void model.loadConfig().then(() => (view.visible ? model.refresh() : undefined));
  watcher.onDidChange(reload);
  watcher.onDidCreate(reload);
  watcher.onDidDelete(reload);
  context.subscriptions.push(channel, model, tree, view, badge, stagingNews, watcher, vscode.workspace.onDidChangeWorkspaceFolders(reload), trackWalkthrough(model.contextKeys, view));

  const confirmSeam = testMode ? new ScriptedConfirm(vscodeConfirm()) : undefined;
  const logLines = new Map<string, string[]>();
  const logs = new LogViewers(testMode ? logLines : undefined);
  context.subscriptions.push(logs);
  const deps: Deps = { context, output, model, confirm: confirmSeam ?? vscodeConfirm(), running: {}, stagingNews, logs };
  registerCommands(deps);
  context.subscriptions.push(new StagingFollower(model, output, deps.confirm), new ApprovalListener(model, deps.confirm, output), ...registerLanguageModelTools(deps), ...registerMcpServer(context, model, output));
  // Reading the local config is cheap and needs no network; probing waits for the view.
  void model.loadConfig().then(() => context.subscriptions.push(new AutoRefresh(view, model)));
  const activationMs = performance.now() - started;
  output.info(redact(`[activate] ${activationMs.toFixed(1)} ms`));
  if (!confirmSeam) return undefined;
  return { model, badge, tree, confirmSeam, contextKeys: model.contextKeys, outputLines, notifications, logLines, logs };
}

// Nothing to do: every resource is a disposable in context.subscriptions, and
// deactivate() is not guaranteed to run.
export function deactivate(): void {}
