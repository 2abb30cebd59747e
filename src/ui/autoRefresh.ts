import * as vscode from 'vscode';
import { StatusModel } from './statusModel';

/** The badge's first check after the window gains focus with the view closed: soon, but not during activation. */
const FIRST_CHECK_MS = 3000;

/**
 * Keeps the status current without asking: while the view is visible, a full refresh every
 * `bluegreen.refreshIntervalSeconds`; while it is hidden and the window has focus, the badge's
 * cheap check of LIVE every `bluegreen.badgeCheckSeconds` (one request through each frontend).
 * Nothing runs while the window is in the background, or in an untrusted workspace.
 */
export class AutoRefresh implements vscode.Disposable {
  private timers: NodeJS.Timeout[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly model: StatusModel,
  ) {
    this.subscriptions.push(
      view.onDidChangeVisibility(() => this.update()),
      vscode.window.onDidChangeWindowState(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('bluegreen.refreshIntervalSeconds') || e.affectsConfiguration('bluegreen.badgeCheckSeconds')) && this.update()),
    );
    this.update();
  }

  private update(): void {
    this.stop();
    const settings = vscode.workspace.getConfiguration('bluegreen');
    if (this.view.visible) {
      void this.model.refresh();
      const seconds = settings.get<number>('refreshIntervalSeconds', 30);
      if (seconds > 0) this.timers.push(setInterval(() => void this.model.refresh(), Math.max(5, seconds) * 1000));
      return;
    }
    const seconds = settings.get<number>('badgeCheckSeconds', 60);
    if (!vscode.window.state.focused || !(seconds > 0) || !vscode.workspace.isTrusted) return;
    const check = () => void this.model.checkLive();
    this.timers.push(setTimeout(check, Math.min(FIRST_CHECK_MS, seconds * 1000)), setInterval(check, Math.max(2, seconds) * 1000));
  }

  private stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  dispose(): void {
    this.stop();
    for (const s of this.subscriptions) s.dispose();
  }
}
