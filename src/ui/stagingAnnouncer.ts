import * as vscode from 'vscode';
import { redact } from '../core/redact';
import type { StagingEntry } from '../core/state/stagingRecord';
import { stagingNews, stagingNewsText } from '../core/status/stagingNews';
import { DEPLOY_TO_STAGING, NextStep, PROMOTE_TO_STANDBY } from './nextSteps';
import { showInfo, showWarning } from './sinks';
import { StatusModel } from './statusModel';

/**
 * Tells the person when staging's record shows a new outcome: passed, with Promote to STANDBY
 * on it; failed, with Deploy to Staging. A deploy this window ran has said so itself (`told`).
 */
export class StagingAnnouncer implements vscode.Disposable {
  private seen = new Map<string, number>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: StatusModel) {
    this.subscription = model.onDidChange(() => this.read());
  }

  /** This window's own deploy ended with `entry`: its result notification already says so. */
  told(app: string, entry: StagingEntry): void {
    const at = Date.parse(entry.at);
    if (!Number.isNaN(at) && (this.seen.get(app) ?? 0) < at) this.seen.set(app, at);
  }

  private read(): void {
    const apps = this.model.snapshot?.apps;
    if (!apps) return;
    const { news, seen } = stagingNews(this.seen, apps);
    this.seen = seen;
    for (const item of news) {
      const steps: NextStep[] = item.entry.passed ? [PROMOTE_TO_STANDBY] : [DEPLOY_TO_STAGING];
      const message = redact(`Blue-Green: ${stagingNewsText(item)}`);
      void (item.entry.passed ? showInfo : showWarning)(message, ...steps.map((s) => s.title)).then((button) => {
        const step = steps.find((s) => s.title === button);
        if (step) return vscode.commands.executeCommand(step.command, { app: { name: item.app } });
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
