import * as vscode from 'vscode';
import { StatusModel } from './statusModel';

/** The first read after the window gains focus with the view closed: soon, but not during activation. */
const FIRST_CHECK_MS = 3000;

/**
 * Keeps the badge true while the view is closed: while the window has focus, a cheap check of
 * LIVE every `bluegreen.badgeCheckSeconds` (one request through each frontend; the full probe is
 * AutoRefresh's, while the view is visible). Nothing runs while the window is in the background.
 */
export class BadgeWatch implements vscode.Disposable {
  private first?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly model: StatusModel,
  ) {
    this.subscriptions.push(
      view.onDidChangeVisibility(() => this.update()),
      vscode.window.onDidChangeWindowState(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('bluegreen.badgeCheckSeconds') && this.update()),
    );
    this.update();
  }

  private update(): void {
    this.stop();
    const seconds = vscode.workspace.getConfiguration('bluegreen').get<number>('badgeCheckSeconds', 60);
    // Only in a trusted workspace: an untrusted one contacts no host.
    if (this.view.visible || !vscode.window.state.focused || !(seconds > 0) || !vscode.workspace.isTrusted) return;
    const check = () => void this.model.checkLive();
    this.first = setTimeout(check, Math.min(FIRST_CHECK_MS, seconds * 1000));
    this.timer = setInterval(check, Math.max(2, seconds) * 1000);
  }

  private stop(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }

  dispose(): void {
    this.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
