import * as path from 'node:path';
import * as vscode from 'vscode';
import { AGENT_TOOLS, AgentArgs, emergencyReasonMissing } from '../core/agent/tools';
import { agentWorkflow } from '../core/agent/workflows';
import { preApproved } from '../core/workflows/confirm';
import { statusSentence } from '../core/workflows/describe';
import { Deps } from './deps';
import { newerApi } from './newerApi';
import { operate } from './operations';

/** The agent tools' names in VS Code's tool list (package.json's languageModelTools). */
export function languageModelToolName(name: string): string {
  return `bluegreen_${name}`;
}

/**
 * The agent tools as VS Code language-model tools (1.95+), for VS Code's own agent: the same
 * workflows as the commands, with the same progress, output and modal dialogs. Nothing in a
 * tool call answers a dialog.
 */
export function registerLanguageModelTools(deps: Deps): vscode.Disposable[] {
  const api = newerApi();
  const { lm, LanguageModelToolResult: Result, LanguageModelTextPart: Text } = api;
  if (!lm?.registerTool || !Result || !Text) return [];
  const registerTool = lm.registerTool.bind(lm);
  return AGENT_TOOLS.map((spec) =>
    registerTool(languageModelToolName(spec.name), {
      invoke: async (options) => {
        const args = (options.input ?? {}) as AgentArgs;
        const message = await run(deps, spec.name, args);
        return new Result([new Text(message)]);
      },
    }),
  );
}

async function run(deps: Deps, name: (typeof AGENT_TOOLS)[number]['name'], args: AgentArgs): Promise<string> {
  if (!vscode.workspace.isTrusted) return 'Blue-Green works only in a trusted workspace; nothing was done.';
  if (name === 'get_deployment_status') {
    await deps.model.refresh();
    const apps = deps.model.snapshot?.apps.filter((a) => args.app === undefined || a.name === args.app) ?? [];
    return apps.length ? apps.map(statusSentence).join('\n') : deps.model.refreshError ?? deps.model.configProblem ?? `no app "${args.app}"`;
  }
  if (emergencyReasonMissing(args)) return 'An emergency switch needs a reason. Nothing was changed.';
  const workspace = deps.model.config ? path.dirname(deps.model.config.file) : '';
  const workflow = agentWorkflow(name, args, workspace);
  const title = AGENT_TOOLS.find((t) => t.name === name)!.title;
  const outcome = await operate(deps, title, args.app ? { app: { name: args.app } } : undefined, async (ctx) => (await workflow.run(workflow.approval === 'none' ? { ...ctx, confirm: preApproved() } : ctx)).summary);
  return outcome.message;
}
