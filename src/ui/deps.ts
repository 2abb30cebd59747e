import * as vscode from 'vscode';
import { ConfirmPort } from '../core/plan/confirm';
import type { StagingEntry } from '../core/state/stagingRecord';
import { LogViewers } from './logViewers';
import { Output } from './sinks';
import { StatusModel } from './statusModel';

/** What command handlers and views get, instead of module-level singletons. */
export interface Deps {
  context: vscode.ExtensionContext;
  output: Output;
  model: StatusModel;
  /** Asks the person before production changes: the modal dialogs. */
  confirm: ConfirmPort;
  /** The operation running in this window, if any: one at a time. */
  running: { title?: string };
  /** Show Logs' channels, one per host, each following until cancelled. */
  logs: LogViewers;
  /** Staging's outcomes told as they appear (stagingAnnouncer.ts); `told`: one this window already said. */
  stagingNews: { told(app: string, entry: StagingEntry): void };
}
