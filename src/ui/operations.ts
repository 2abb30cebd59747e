import * as path from 'node:path';
import * as vscode from 'vscode';
import { pickApp } from '../core/config/pickApp';
import { AppConfig, SlotName } from '../core/config/types';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { failedStepOutput, OperationContext } from '../core/workflows/parts/operation';
import { Reporter } from '../core/workflows/parts/reporter';
import { whoAmI } from '../core/workflows/parts/who';
import { Deps } from './deps';
import { outputReporter } from './outputReporter';
import { NextStep, nextStepsAfterFailure } from './nextSteps';
import { pick, showError, showInfo, showWarning } from './sinks';
import { DialogAwareProgress, progressTitle } from './dialogAwareProgress';
import { redact } from '../core/redact';

/** What a tree item passes to a command: the app, and for slot items the slot. */
export interface Target {
  app: string;
  slot?: SlotName;
}

export function targetOf(arg: unknown): Target | undefined {
  const node = arg as { app?: { name?: unknown }; slot?: { name?: unknown } } | undefined;
  if (typeof node?.app?.name !== 'string') return undefined;
  const slot = node.slot?.name;
  return { app: node.app.name, slot: slot === 'blue' || slot === 'green' ? slot : undefined };
}

/**
 * The app a command is about: the tree item's, the only one, or the one the person picks when
 * there are several (the core's pickApp decides; a name it does not know picks none).
 */
export async function appFor(deps: Deps, target?: Target): Promise<AppConfig | undefined> {
  if (!deps.model.config) await deps.model.loadConfig();
  const config = deps.model.config;
  if (!config) return undefined;
  const name = target?.app ?? (config.apps.length > 1 ? (await pick(config.apps.map((a) => ({ label: redact(a.name) })), { title: redact('Blue-Green: which app?') }))?.label : undefined);
  if (name === undefined && config.apps.length > 1) return undefined;
  try {
    return pickApp(config, name);
  } catch (e) {
    if (isBlueGreenError(e, 'usage')) return undefined;
    throw e;
  }
}

/**
 * Runs one workflow: progress notification with Cancel, every step in the output channel,
 * a summary at the end, then a fresh status. One operation at a time per window.
 */
export async function runOperation(deps: Deps, title: string, arg: unknown, body: Body, next: NextStep[] = []): Promise<boolean> {
  return (await operate(deps, title, arg, body, next)).ok;
}

/**
 * What an operation came to: its sentence, or with it the steps that outcome offers instead of
 * the command's own, and `warning` for one that went through but did not pass (a failed staging).
 */
export type BodyResult = string | { summary: string; next?: NextStep[]; warning?: boolean };

type Body = (ctx: OperationContext, target: Target | undefined) => Promise<BodyResult>;

/** What an operation came to, in the sentence the person was shown; `error`: the failure as it came (the agent's tools word it). */
export interface Outcome {
  ok: boolean;
  message: string;
  error?: unknown;
}

/**
 * `next`: what the result offers when it went through (deploy → Release…); a refusal offers
 * its own fix (nextSteps.ts). Each runs on the same app; Show Output is always offered.
 */
export async function operate(deps: Deps, title: string, arg: unknown, body: Body, next: NextStep[] = []): Promise<Outcome> {
  if (!deps.model.config) await deps.model.loadConfig();
  if (!deps.model.config) {
    const message = deps.model.configProblem ?? 'no bluegreen.yaml';
    void showError(redact(`Blue-Green: ${message}`), 'Open bluegreen.yaml').then((b) => b && vscode.commands.executeCommand('bluegreen.openConfig'));
    return { ok: false, message };
  }
  if (deps.running.title) {
    const message = `${deps.running.title} is still running in this window.`;
    void showWarning(redact(`Blue-Green: ${message}`));
    return { ok: false, message };
  }
  const target = targetOf(arg);
  const app = await appFor(deps, target);
  if (!app) return { ok: false, message: 'no app was picked; nothing was changed.' };
  const reporter = outputReporter(deps.output);
  deps.running.title = `${title} (${app.name})`;
  reporter.info(`════ ${title}: ${app.name} — ${new Date().toLocaleString()} ════`);
  const progress = new DialogAwareProgress(progressTitle(title, app.name));
  try {
    progress.show();
    const progressReporter: Reporter = {
      step: (t, host) => {
        progress.report(redact(`${t}${host ? ` on ${host}` : ''}…`));
        reporter.step(t, host);
      },
      line: (host, text, stream) => reporter.line(host, text, stream),
      stepDone: (t, ms, error) => reporter.stepDone(t, ms, error),
      info: (text) => reporter.info(text),
      warn: (text) => reporter.warn(text),
    };
    const ctx: OperationContext = { runner: deps.model.runner, app, reporter: progressReporter, confirm: progress.around(deps.confirm), who: whoAmI(), signal: progress.controller.signal, workspace: deps.model.config ? path.dirname(deps.model.config.file) : undefined, onRouted: (live, watchUntil) => deps.model.routed(app.name, live, watchUntil), onDeployed: () => deps.model.deployed() };
    const result = await body(ctx, target);
    const { summary, next: offered = next, warning = false } = typeof result === 'string' ? { summary: result } : result;
    progress.close();
    reporter.info(`════ ${title} done in ${progress.workSeconds()} s: ${summary} ════`);
    offer(deps, app.name, (warning ? showWarning : showInfo)(redact(`Blue-Green: ${summary}`), ...offered.map((n) => n.title), SHOW_OUTPUT), offered);
    return { ok: true, message: summary };
  } catch (e) {
    if (isBlueGreenError(e, 'declined')) {
      reporter.info(`════ ${title} not confirmed; nothing was changed ════`);
      return { ok: false, message: `${title} was not confirmed; nothing was changed.`, error: e };
    }
    const message = errorMessage(e);
    reporter.warn(`════ ${title} stopped after ${progress.workSeconds()} s ════`);
    reporter.error(message);
    const output = failedStepOutput(e);
    if (output) reporter.error(output);
    const fixes = nextStepsAfterFailure(e);
    offer(deps, app.name, showError(redact(`Blue-Green: ${message}`), ...fixes.map((n) => n.title), SHOW_OUTPUT), fixes);
    return { ok: false, message, error: e };
  } finally {
    progress.close();
    deps.running.title = undefined;
    void deps.model.refresh();
  }
}

const SHOW_OUTPUT = 'Show Output';

/** Runs what the person picked on the notification: a next step on the same app, or the output. */
function offer(deps: Deps, app: string, picked: Thenable<string | undefined>, next: readonly NextStep[]): void {
  void picked.then((button) => {
    if (button === SHOW_OUTPUT) return deps.output.show(true);
    const step = next.find((n) => n.title === button);
    if (step) return vscode.commands.executeCommand(step.command, { app: { name: app } }, ...(step.args ?? []));
  });
}
