import * as vscode from 'vscode';
import { Redacted } from '../core/redact';

/*
 * Everything the extension shows a person goes through this file, and only as redacted text
 * (src/core/redact.ts): messages, modal dialogs, input boxes, quick picks, progress and the
 * output channel. Lint forbids the window's own functions and the channel anywhere else, so a
 * plain string cannot reach them.
 */

/** The Blue-Green output channel as the rest of the extension holds it. */
export interface Output {
  info(text: Redacted): void;
  warn(text: Redacted): void;
  error(text: Redacted): void;
  show(preserveFocus?: boolean): void;
}

const KEPT_LINES = 2000;

/** The channel, and in test mode every line it is given kept in `recorded` as well. */
export function blueGreenOutput(recorded?: string[]): { output: Output; channel: vscode.Disposable } {
  const channel = vscode.window.createOutputChannel('Blue-Green', { log: true });
  const keep = (text: string) => {
    if (!recorded) return;
    recorded.push(text);
    if (recorded.length > KEPT_LINES) recorded.splice(0, recorded.length - KEPT_LINES);
  };
  const output: Output = {
    info: (text) => (keep(text), channel.info(text)),
    warn: (text) => (keep(text), channel.warn(text)),
    error: (text) => (keep(text), channel.error(text)),
    show: (preserveFocus) => channel.show(preserveFocus),
  };
  return { output, channel };
}

export function showInfo(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(message, ...buttons);
}

export function showWarning(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(message, ...buttons);
}

export function showError(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(message, ...buttons);
}

/** A modal warning: the title, the detail under it, the buttons (Cancel is VS Code's own). */
export function askModal(title: Redacted, detail: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(title, { modal: true, detail }, ...buttons);
}

/** An input box whose every shown text is redacted (a password box shows dots, not its value). */
export interface InputOptions {
  title?: Redacted;
  prompt?: Redacted;
  value?: Redacted;
  placeHolder?: Redacted;
  password?: boolean;
  ignoreFocusOut?: boolean;
  validateInput?(value: string): Redacted | undefined;
}

export function askInput(options: InputOptions): Thenable<string | undefined> {
  return vscode.window.showInputBox(options);
}

export interface ShownItem extends vscode.QuickPickItem {
  label: Redacted;
  description?: Redacted;
  detail?: Redacted;
}

export function pick<T extends ShownItem>(items: readonly T[], options: { title?: Redacted; placeHolder?: Redacted }): Thenable<T | undefined> {
  return vscode.window.showQuickPick(items, options);
}

/** A progress notification with Cancel; each step's message redacted. */
export function withNotification<T>(title: Redacted, task: (report: (message: Redacted) => void, token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => task((message) => progress.report({ message }), token));
}
