import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandsAllowedForAgent } from '../core/agent/commandsGate';
import { AppConfig, Config } from '../core/config/types';
import { ConfirmPort } from '../core/plan/confirm';
import { redact } from '../core/redact';
import { FollowEvent, followStaging } from '../core/workflows/followStaging';
import { whoAmI } from '../core/workflows/parts/who';
import { outputReporter } from './outputReporter';
import { Output, showWarning } from './sinks';
import { StatusModel } from './statusModel';

const SETTING = 'bluegreen.staging';
/** Between reads of the branch's tip: one `git ls-remote` on the staging host each time. */
const DEFAULT_INTERVAL_S = 60;
const INTERVAL_BOUNDS_S = [10, 3600] as const;

/**
 * `bluegreen.staging.follow` (off by default): while this window is open, each app's staging
 * follows its branch as `bluegreen staging --follow` does — the setting is the person's yes to
 * those deploys to staging, and to nothing else (followStaging answers only that question).
 * Every step goes to the output channel; the tree says "Following develop"; an outcome shows as
 * staging's news (stagingAnnouncer.ts), passed with Promote to STANDBY.
 */
export class StagingFollower implements vscode.Disposable {
  private readonly loops = new Map<string, AbortController>();
  private followedConfig?: Config;
  /** Each restart's number: an answer to an older one's question starts nothing. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: StatusModel,
    private readonly output: Output,
    private readonly confirm: ConfirmPort,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTING) && this.restart()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart()),
      // A reloaded bluegreen.yaml brings new apps and a new runner: the loops start again over it.
      model.onDidChange(() => this.model.config !== this.followedConfig && this.restart()),
    ];
    this.restart();
  }

  private restart(): void {
    // Set first: stopping fires the model's change, which must not start this again.
    const config = this.model.config;
    this.followedConfig = config;
    this.stopAll();
    const generation = ++this.generation;
    const settings = vscode.workspace.getConfiguration(SETTING);
    const staged = config?.apps.filter((a) => a.staging) ?? [];
    if (!config || !staged.length || !settings.get<boolean>('follow', false) || !vscode.workspace.isTrusted) return;
    // Nobody clicks before each of these deploys: the commands they run (and the hosts) must be
    // ones a person allowed as written, as for the agent; an edit of them asks again, with the diff.
    void commandsAllowedForAgent(config, this.confirm).then((refusal) => {
      if (generation !== this.generation) return;
      if (refusal) {
        this.output.warn(redact(`[follow] not following staging: ${refusal}`));
        void showWarning(redact(`Blue-Green: not following staging: the commands in ${path.basename(config.file)} are not allowed as written. Turn bluegreen.staging.follow off and on to be asked again.`));
        return;
      }
      this.start(config, staged, settings);
    });
  }

  private start(config: Config, staged: AppConfig[], settings: vscode.WorkspaceConfiguration): void {
    const seconds = Math.min(INTERVAL_BOUNDS_S[1], Math.max(INTERVAL_BOUNDS_S[0], settings.get<number>('followIntervalSeconds', DEFAULT_INTERVAL_S)));
    for (const app of staged) {
      const controller = new AbortController();
      this.loops.set(app.name, controller);
      const branch = app.staging!.branch;
      this.model.setFollowing(app.name, branch);
      const reporter = outputReporter(this.output);
      const ctx = { runner: this.model.runner, app, reporter, confirm: { confirm: () => Promise.resolve({ ok: false }) }, who: whoAmI(), signal: controller.signal, workspace: path.dirname(config.file) };
      void followStaging(ctx, { intervalMs: seconds * 1000, onEvent: (e) => this.said(app.name, e) })
        .catch((e: unknown) => this.output.error(redact(`[follow ${app.name}] stopped: ${e instanceof Error ? e.message : String(e)}`)))
        .finally(() => {
          if (this.loops.get(app.name) !== controller) return;
          this.loops.delete(app.name);
          this.model.setFollowing(app.name, undefined);
        });
    }
  }

  /** One line a event; a deploy's end reads the status again, which tells its outcome. */
  private said(app: string, e: FollowEvent): void {
    const line = followLine(e);
    if (line) this.output[e.kind === 'error' ? 'warn' : 'info'](redact(`[follow ${app}] ${line}`));
    if (e.kind === 'deployed') void this.model.refresh();
  }

  private stopAll(): void {
    for (const [app, controller] of this.loops) {
      controller.abort();
      this.model.setFollowing(app, undefined);
    }
    this.loops.clear();
  }

  dispose(): void {
    this.generation++;
    this.stopAll();
    for (const s of this.subscriptions) s.dispose();
  }
}

function followLine(e: FollowEvent): string | undefined {
  switch (e.kind) {
    case 'tip':
      return `the branch is at ${e.commit.slice(0, 7)}`;
    case 'deploying':
      return `deploying ${e.commit.slice(0, 7)} to staging`;
    case 'deployed':
      return e.result.summary;
    case 'skipped':
      return `skipped ${e.commits.map((c) => c.slice(0, 7)).join(', ')}: the branch moved on to ${e.newest.slice(0, 7)}`;
    case 'failed-before':
      return undefined;
    case 'unchanged':
      return undefined;
    case 'error':
      return e.message;
  }
}
