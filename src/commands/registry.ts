import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { Deps } from '../ui/deps';
import { addChatWorkflows } from './addChatWorkflows';
import { addToWindsurf } from './addToWindsurf';
import { bump } from './bump';
import { canary } from './canary';
import { endCanary } from './endCanary';
import { checkLoadBalancer } from './checkLoadBalancer';
import { deploy, deployRef } from './deploy';
import { deploySkippingStaging } from './deploySkippingStaging';
import { deployToStaging } from './deployToStaging';
import { initFromLoadBalancer } from './initFromLoadBalancer';
import { openConfig } from './openConfig';
import { openTerminal } from './openTerminal';
import { promote } from './promote';
import { quickActions } from './quickActions';
import { reconcile } from './reconcile';
import { restartLive, restartStandby } from './restart';
import { resumeWatch } from './resumeWatch';
import { refresh } from './refresh';
import { release, releaseEmergency, rollback } from './release';
import { scaffoldConfig } from './scaffoldConfig';
import { showLogs } from './showLogs';
import { showOutput } from './showOutput';
import { stopWatch } from './stopWatch';
import { sync } from './sync';
import { showError } from '../ui/sinks';
import { redact } from '../core/redact';

type CommandHandler = (deps: Deps, ...args: unknown[]) => unknown;

/** The one table of contributed commands; package.json's `contributes.commands` lists the same ids. */
const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  'bluegreen.refresh': refresh,
  'bluegreen.deploy': deploy,
  'bluegreen.deployRef': deployRef,
  'bluegreen.deployToStaging': deployToStaging,
  'bluegreen.promote': promote,
  'bluegreen.deploySkippingStaging': deploySkippingStaging,
  'bluegreen.bump': bump,
  'bluegreen.release': release,
  'bluegreen.releaseEmergency': releaseEmergency,
  'bluegreen.canary': canary,
  'bluegreen.endCanary': endCanary,
  'bluegreen.rollback': rollback,
  'bluegreen.sync': sync,
  'bluegreen.reconcile': reconcile,
  'bluegreen.resumeWatch': resumeWatch,
  'bluegreen.stopWatch': stopWatch,
  'bluegreen.checkLoadBalancer': checkLoadBalancer,
  'bluegreen.quickActions': quickActions,
  'bluegreen.initFromLoadBalancer': initFromLoadBalancer,
  'bluegreen.scaffoldConfig': scaffoldConfig,
  'bluegreen.showOutput': showOutput,
  'bluegreen.showLogs': showLogs,
  'bluegreen.openTerminal': openTerminal,
  'bluegreen.restartStandby': restartStandby,
  'bluegreen.restartLive': restartLive,
  'bluegreen.openConfig': openConfig,
  'bluegreen.addToWindsurf': addToWindsurf,
  'bluegreen.addChatWorkflows': addChatWorkflows,
};

export function registerCommands(deps: Deps): void {
  for (const [id, handler] of Object.entries(COMMANDS)) {
    deps.context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        // Commands can be invoked directly (keybindings, other extensions), so every one checks trust.
        if (!vscode.workspace.isTrusted) {
          deps.output.warn(redact(`[trust] ${id} refused: this workspace is not trusted`));
          void showError(redact('Blue-Green runs commands on your servers over SSH, so it works only in a trusted workspace.'));
          return;
        }
        return Promise.resolve()
          .then(() => handler(deps, ...args))
          .catch((e: unknown) => {
            // Workflows report their own failures; this catches what any other command throws.
            const message = errorMessage(e);
            deps.output.error(redact(`[${id}] ${message}`));
            void showError(redact(`Blue-Green: ${message}`), 'Show Output').then((b) => b && deps.output.show(true));
            return undefined;
          });
      }),
    );
  }
}
