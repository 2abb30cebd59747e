import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { ConfigError, loadConfigFile } from '../core/config/load';
import { ConfigDiagnostics } from './configDiagnostics';
import { Config, SlotName } from '../core/config/types';
import { routedTo } from '../core/status/routed';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { createRunner } from '../core/config/sshRunner';
import { CommandRunner, SshPrompts } from '../core/ssh/runner';
import { takeSnapshot } from '../core/status/refresh';
import { checkLive, LiveCheck } from '../core/status/liveCheck';
import { slotLabel, slotList, Snapshot } from '../core/status/snapshot';
import { redact } from '../core/redact';
import { firstReleaseProgress } from '../core/status/firstRelease';
import { titleActions } from '../core/status/titleActions';
import { ContextKeys } from './contextKeys';
import { Output, showWarning } from './sinks';

/**
 * The one model the tree and the status bar render: the config, the last Snapshot, and
 * whether a refresh is running. It fires onDidChange; views listen and redraw.
 */
export class StatusModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = new ConfigDiagnostics();
  private runnerInstance?: CommandRunner;
  private inFlight?: Promise<void>;
  /** Routing seen by a workflow (a verified switch), newer than a probe that started before it. */
  private readonly routings = new Map<string, { live: SlotName; watchUntil?: number; at: number }>();
  private watchTicker?: NodeJS.Timeout;

  config?: Config;
  configFile?: vscode.Uri;
  /** Why there is no usable config (missing file, invalid YAML): shown instead of the tree. */
  configProblem?: string;
  /** The config file exists but is invalid (its problems are in the Problems panel). */
  configInvalid = false;
  snapshot?: Snapshot;
  refreshError?: string;
  refreshing = false;
  /** Drift already told in a notification, by app and kind: it is said once when it appears. */
  private readonly driftTold = new Set<string>();
  /** The cheap checks of LIVE since the last full read, by app (the badge's, while the view is closed). */
  readonly liveChecks = new Map<string, LiveCheck>();
  readonly contextKeys = new ContextKeys();
  /** Apps whose staging this window follows, with the branch (the tree says "following develop"). */
  readonly following = new Map<string, string>();
  /** A deploy succeeded in this window (the walkthrough's third step). */
  private deployedHere = false;

  constructor(
    private readonly output: Output,
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
    this.routings.clear();
    this.config = undefined;
    this.configInvalid = false;
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
        this.configInvalid = !isBlueGreenError(e, 'config-missing');
        this.diagnostics.show(this.configFile, e);
        if (e instanceof ConfigError) {
          this.output.error(redact(`${CONFIG_FILE_NAME} is invalid:\n${e.message}`));
        }
      }
    }
    await this.contextKeys.set('bluegreen.hasConfig', this.config !== undefined);
    await this.contextKeys.set('bluegreen.configInvalid', this.configInvalid);
    await this.contextKeys.set('bluegreen.hasStaging', !!this.config?.apps.some((a) => a.staging));
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

  /** A workflow saw HAProxy serve `live`: show it now, with the watch's countdown while it runs. */
  routed(appName: string, live: SlotName, watchUntil?: number): void {
    this.routings.set(appName, { live, watchUntil, at: Date.now() });
    if (this.snapshot) this.snapshot = this.withRoutings(this.snapshot, 0);
    this.tickWhileWatching();
    this.changed.fire();
    // The state file was just written: read it (switch count, history) while the watch runs.
    void this.refresh();
  }

  /** `probedAt`: when the probe behind `snapshot` started (0: it is the shown one, already current). */
  private withRoutings(snapshot: Snapshot, probedAt: number): Snapshot {
    const now = Date.now();
    const apps = snapshot.apps.map((app) => {
      const seen = this.routings.get(app.name);
      const config = this.config?.apps.find((a) => a.name === app.name);
      if (!seen || !config) return app;
      const watchUntil = seen.watchUntil && seen.watchUntil > now ? seen.watchUntil : undefined;
      if (probedAt === 0 || seen.at > probedAt) return routedTo(app, config, seen.live, watchUntil);
      // This probe started after the routing was seen, so it read the routing from HAProxy.
      if (!watchUntil) this.routings.delete(app.name);
      return { ...app, watchUntil: watchUntil === undefined ? undefined : new Date(watchUntil).toISOString() };
    });
    return { ...snapshot, apps };
  }

  private tickWhileWatching(): void {
    if (this.watchTicker) return;
    this.watchTicker = setInterval(() => {
      const watching = [...this.routings.values()].some((r) => r.watchUntil && r.watchUntil > Date.now());
      if (!watching) {
        clearInterval(this.watchTicker);
        this.watchTicker = undefined;
        if (this.snapshot) this.snapshot = { ...this.snapshot, apps: this.snapshot.apps.map((a) => ({ ...a, watchUntil: undefined })) };
      }
      this.changed.fire();
    }, 1000);
  }

  /** This window started or stopped following an app's staging branch. */
  setFollowing(app: string, branch: string | undefined): void {
    if (branch === undefined) this.following.delete(app);
    else this.following.set(app, branch);
    this.changed.fire();
  }

  /** A deploy finished (`onDeployed`): the walkthrough's deploy step is done. */
  deployed(): void {
    this.deployedHere = true;
    void this.showProgress();
  }

  /**
   * The walkthrough's steps and the title bar's Deploy and Release from what is so, after each
   * read and each deploy. Without a read, only a deploy in this window is known: the rest keep
   * what the last read said.
   */
  private async showProgress(): Promise<void> {
    const progress = firstReleaseProgress(this.snapshot?.apps ?? [], this.deployedHere);
    const known = this.snapshot ? progress : this.deployedHere ? { deployDone: true } : {};
    for (const [name, done] of Object.entries(known)) await this.contextKeys.set(`bluegreen.${name}`, done);
    const offered = titleActions(this.snapshot?.apps ?? []);
    for (const [name, applies] of Object.entries(offered)) await this.contextKeys.set(`bluegreen.${name}`, applies);
  }

  /**
   * The badge's check while the view is closed: one request through each app's frontend. The
   * first one, with nothing read yet, is a full read (only it can name LIVE); so is one whose
   * answer came from the other slot.
   */
  async checkLive(): Promise<void> {
    const config = this.config;
    if (!config || this.refreshing) return;
    if (!this.snapshot) return this.refresh();
    let rolesChanged = false;
    for (const app of config.apps) {
      const check = await checkLive(this.runner, app, this.snapshot.apps.find((a) => a.name === app.name)).catch(() => undefined);
      if (!check) continue;
      this.liveChecks.set(app.name, check);
      rolesChanged ||= check.rolesChanged;
      if (!check.ok) this.output.warn(redact(`[status] ${app.name}: ${check.problem}`));
    }
    this.changed.fire();
    if (rolesChanged) await this.refresh();
  }

  private async doRefresh(): Promise<void> {
    const config = this.config!;
    this.refreshing = true;
    this.changed.fire();
    try {
      const probedAt = Date.now();
      this.snapshot = this.withRoutings(await takeSnapshot(this.runner, config), probedAt);
      this.refreshError = undefined;
      this.liveChecks.clear();
      this.output.info(redact(`[status] refreshed ${config.apps.length} app(s) in ${this.snapshot.durationMs} ms`));
      for (const app of this.snapshot.apps) {
        for (const lb of app.lbs) if (lb.error) this.output.warn(redact(`[status] ${app.name}: load balancer${app.lbs.length > 1 ? ` ${lb.host}` : ''}: ${lb.error}`));
        for (const s of slotList(app)) if (s.error) this.output.warn(redact(`[status] ${app.name}: ${slotLabel(s.name)}: ${s.error}`));
        for (const d of app.drift) this.output.warn(redact(`[status] ${app.name}: drift: ${d.message}`));
      }
      this.tellNewDrift(this.snapshot);
      void this.showProgress();
    } catch (e) {
      this.refreshError = errorMessage(e);
      this.output.error(redact(`[status] refresh failed: ${this.refreshError}`));
    } finally {
      this.refreshing = false;
      this.changed.fire();
    }
  }

  /** One notification when drift appears (not again while it lasts); Reconcile on it when the state file is what disagrees. */
  private tellNewDrift(snapshot: Snapshot): void {
    const now = new Set<string>();
    for (const app of snapshot.apps) {
      for (const d of app.drift) {
        if (d.kind === 'watch-interrupted') continue;
        const key = `${app.name}:${d.kind}:${d.lb ?? ''}`;
        now.add(key);
        if (this.driftTold.has(key)) continue;
        const reconcile = d.kind.startsWith('state-file') ? ['Reconcile'] : [];
        void showWarning(redact(`Blue-Green: ${app.name}: ${d.message}`), ...reconcile, 'Show Output').then((b) => {
          if (b === 'Reconcile') return vscode.commands.executeCommand('bluegreen.reconcile', { app: { name: app.name } });
          if (b === 'Show Output') this.output.show(true);
        });
      }
    }
    // Gone drift may be told again when it comes back.
    for (const key of [...this.driftTold]) if (!now.has(key)) this.driftTold.delete(key);
    for (const key of now) this.driftTold.add(key);
  }

  dispose(): void {
    clearInterval(this.watchTicker);
    this.runnerInstance?.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
