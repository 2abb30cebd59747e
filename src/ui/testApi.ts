import { ConfirmAnswer, ConfirmPort, ConfirmRequest } from '../core/plan/confirm';
import { ContextKeys } from './contextKeys';
import { LogViewers } from './logViewers';
import { ShownNotification } from './sinks';
import { StatusBadge } from './statusBar';
import { StatusModel } from './statusModel';
import { StatusTreeProvider } from './tree';

/**
 * Workbench dialogs cannot be answered by an automated test, so the extension-host suite
 * answers them here. activate() builds one only in ExtensionMode.Test; a production
 * activation has no object that could answer a confirmation.
 */
export class ScriptedConfirm implements ConfirmPort {
  answer?: (request: ConfirmRequest) => ConfirmAnswer | Promise<ConfirmAnswer>;
  readonly asked: ConfirmRequest[] = [];

  constructor(private readonly person: ConfirmPort) {}

  async confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
    if (!this.answer) return this.person.confirm(request);
    this.asked.push(request);
    return this.answer(request);
  }
}

/** What activate() returns in ExtensionMode.Test, and only then. */
export interface TestApi {
  model: StatusModel;
  badge: StatusBadge;
  tree: StatusTreeProvider;
  confirmSeam: ScriptedConfirm;
  /** What each context key was last set to: the walkthrough's steps tick from them. */
  contextKeys: ContextKeys;
  /** Recent output channel lines. */
  outputLines: readonly string[];
  /** Every notification shown, with its buttons. */
  notifications: readonly ShownNotification[];
  /** Show Logs' lines, by channel name. */
  logLines: ReadonlyMap<string, readonly string[]>;
  /** Stops a Show Logs follow, as Cancel on its notification does. */
  logs: Pick<LogViewers, 'stop'>;
}
