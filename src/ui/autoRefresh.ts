import * as vscode from 'vscode';
import { StatusModel } from './statusModel';

/**
 * Refreshes on an interval only while the view is visible; nothing touches the network
 * before the person opens the view (or asks for a refresh).
 */
export class AutoRefresh implements vscode.Disposable {
  private timer?: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly model: StatusModel,
  ) {
    this.subscriptions.push(
      view.onDidChangeVisibility(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('bluegreen.refreshIntervalSeconds') && this.update()),
    );
    this.update();
  }

  private update(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.view.visible) return;
    void this.model.refresh();
    const seconds = vscode.workspace.getConfiguration('bluegreen').get<number>('refreshIntervalSeconds', 30);
    if (seconds > 0) this.timer = setInterval(() => void this.model.refresh(), Math.max(5, seconds) * 1000);
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
