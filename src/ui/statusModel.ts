import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, ConfigError, loadConfigFile } from '../core/config/load';
import { Config } from '../core/config/types';
import { errorMessage } from '../core/errors';
import { createRunner } from '../core/ssh/fromConfig';
import { CommandRunner, SshPrompts } from '../core/ssh/runner';
import { takeSnapshot } from '../core/status/refresh';
import { slotLabel, Snapshot } from '../core/status/snapshot';

/**
 * The one model the tree and the status bar render: the config, the last Snapshot, and
 * whether a refresh is running. It fires onDidChange; views listen and redraw.
 */
export class StatusModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('bluegreen');
  private runnerInstance?: CommandRunner;
  private inFlight?: Promise<void>;

  config?: Config;
  configFile?: vscode.Uri;
  /** Why there is no usable config (missing file, invalid YAML): shown instead of the tree. */
  configProblem?: string;
  snapshot?: Snapshot;
  refreshError?: string;
  refreshing = false;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly prompts: SshPrompts,
  ) {}

  get runner(): CommandRunner {
    if (!this.config) throw new Error(`no valid ${CONFIG_FILE_NAME}`);
    this.runnerInstance ??= createRunner(this.config, this.prompts);
    return this.runnerInstance;
  }

  async loadConfig(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    // A refresh still running would lose its runner mid-way: let it finish first.
    await this.inFlight?.catch(() => undefined);
    this.runnerInstance?.dispose();
    this.runnerInstance = undefined;
    this.snapshot = undefined;
    this.config = undefined;
    this.diagnostics.clear();
    this.configFile = folder && vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
    if (!this.configFile) {
      this.configProblem = 'no folder is open';
    } else {
      try {
        this.config = await loadConfigFile(this.configFile.fsPath);
        this.configProblem = undefined;
      } catch (e) {
        this.configProblem = errorMessage(e);
        if (e instanceof ConfigError) {
          this.diagnostics.set(
            this.configFile,
            e.problems.map((p) => {
              const pos = new vscode.Position(p.line - 1, p.col - 1);
              const d = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), p.message, vscode.DiagnosticSeverity.Error);
              d.source = 'Blue-Green';
              return d;
            }),
          );
          this.output.error(`${CONFIG_FILE_NAME} is invalid:\n${e.message}`);
        }
      }
    }
    await vscode.commands.executeCommand('setContext', 'bluegreen.hasConfig', this.config !== undefined);
    await vscode.commands.executeCommand('setContext', 'bluegreen.configInvalid', this.config === undefined && this.configProblem !== undefined && !/does not exist|no folder/.test(this.configProblem));
    this.changed.fire();
  }

  /** Probes every host; concurrent callers share the refresh already running. */
  refresh(): Promise<void> {
    if (!this.config) return Promise.resolve();
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<void> {
    const config = this.config!;
    this.refreshing = true;
    this.changed.fire();
    try {
      this.snapshot = await takeSnapshot(this.runner, config);
      this.refreshError = undefined;
      this.output.info(`[status] refreshed ${config.apps.length} app(s) in ${this.snapshot.durationMs} ms`);
      for (const app of this.snapshot.apps) {
        if (app.lb.error) this.output.warn(`[status] ${app.name}: load balancer: ${app.lb.error}`);
        for (const s of app.slots) if (s.error) this.output.warn(`[status] ${app.name}: ${slotLabel(s.name)}: ${s.error}`);
        for (const d of app.drift) this.output.warn(`[status] ${app.name}: drift: ${d.message}`);
      }
    } catch (e) {
      this.refreshError = errorMessage(e);
      this.output.error(`[status] refresh failed: ${this.refreshError}`);
    } finally {
      this.refreshing = false;
      this.changed.fire();
    }
  }

  dispose(): void {
    this.runnerInstance?.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
