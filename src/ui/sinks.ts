import * as vscode from 'vscode';
import { redact, Redacted } from '../core/redact';

/*
 * Everything the extension shows a person goes through this file, and only as redacted text
 * (src/core/redact.ts): messages, modal dialogs, input boxes, quick picks, progress and the
 * output channel. Lint forbids the window's own functions and the channel anywhere else, so a
 * plain string cannot reach them; each text is redacted once more here, for what a cast or an
 * `any` slips past the type (redacting a redacted text changes nothing).
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
  const say = (write: (line: string) => void, text: Redacted) => {
    const line = redact(text);
    keep(line);
    write(line);
  };
  const output: Output = {
    info: (text) => say(channel.info.bind(channel), text),
    warn: (text) => say(channel.warn.bind(channel), text),
    error: (text) => say(channel.error.bind(channel), text),
    show: (preserveFocus) => channel.show(preserveFocus),
  };
  return { output, channel };
}

/** A notification as shown: what the extension-host tests read (the workbench's own are out of their reach). */
export interface ShownNotification {
  level: 'info' | 'warning' | 'error';
  message: string;
  buttons: string[];
}

let notifications: ShownNotification[] | undefined;

/** Test mode only: every notification is also kept in `into`. */
export function recordNotifications(into: ShownNotification[]): void {
  notifications = into;
}

function notify(level: ShownNotification['level'], show: (message: string, ...buttons: string[]) => Thenable<string | undefined>, message: Redacted, buttons: string[]): Thenable<string | undefined> {
  const shown = redact(message);
  notifications?.push({ level, message: shown, buttons });
  return show(shown, ...buttons);
}

export function showInfo(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return notify('info', (m, ...b: string[]) => vscode.window.showInformationMessage(m, ...b), message, buttons);
}

export function showWarning(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return notify('warning', (m, ...b: string[]) => vscode.window.showWarningMessage(m, ...b), message, buttons);
}

export function showError(message: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return notify('error', (m, ...b: string[]) => vscode.window.showErrorMessage(m, ...b), message, buttons);
}

/** A modal warning: the title, the detail under it, the buttons (Cancel is VS Code's own). */
export function askModal(title: Redacted, detail: Redacted, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(redact(title), { modal: true, detail: redact(detail) }, ...buttons);
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
  const again = (text: Redacted | undefined) => text && redact(text);
  const { validateInput } = options;
  return vscode.window.showInputBox({ ...options, title: again(options.title), prompt: again(options.prompt), value: again(options.value), placeHolder: again(options.placeHolder), validateInput: validateInput && ((v) => again(validateInput(v))) });
}

export interface ShownItem extends vscode.QuickPickItem {
  label: Redacted;
  description?: Redacted;
  detail?: Redacted;
}

export function pick<T extends ShownItem>(items: readonly T[], options: { title?: Redacted; placeHolder?: Redacted }): Thenable<T | undefined> {
  const again = (text: Redacted | undefined) => text && redact(text);
  const shown = items.map((item) => ({ ...item, label: redact(item.label), description: again(item.description), detail: again(item.detail) }));
  return vscode.window.showQuickPick(shown, { title: again(options.title), placeHolder: again(options.placeHolder) });
}

/** A progress notification with Cancel; each step's message redacted. */
export function withNotification<T>(title: Redacted, task: (report: (message: Redacted) => void, token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: redact(title), cancellable: true }, (progress, token) => task((message) => progress.report({ message: redact(message) }), token));
}

/** An output channel of its own (Show Logs), taking only redacted lines. */
export interface TextChannel {
  appendLine(line: Redacted): void;
  clear(): void;
  show(preserveFocus: boolean): void;
  dispose(): void;
}

export function textChannel(name: Redacted): TextChannel {
  const channel = vscode.window.createOutputChannel(redact(name), 'log');
  return { appendLine: (line) => channel.appendLine(redact(line)), clear: () => channel.clear(), show: (p) => channel.show(p), dispose: () => channel.dispose() };
}

/** A terminal running `ssh` with these arguments: the person's own client and config; its title redacted. */
export function sshTerminal(name: Redacted, args: string[]): vscode.Terminal {
  return vscode.window.createTerminal({ name: redact(name), shellPath: 'ssh', shellArgs: args, iconPath: new vscode.ThemeIcon('remote') });
}
