import * as vscode from 'vscode';
import { runAgentTool } from '../core/agent/dispatch';
import { AGENT_TOOLS } from '../core/agent/tools';
import { BlueGreenError } from '../core/errors';
import { redact, Redacted } from '../core/redact';
import { readLogs } from '../core/workflows/logs';
import { Deps } from './deps';
import { newerApi } from './newerApi';
import { operate } from './operations';

/** The agent tools' names in VS Code's tool list (package.json's languageModelTools). */
export function languageModelToolName(name: string): string {
  return `bluegreen_${name}`;
}

/**
 * The agent tools as VS Code language-model tools (1.95+), for VS Code's own agent: the core's
 * dispatcher, running the workflows as the commands do, with the same progress, output and
 * modal dialogs. Nothing in a tool call answers a dialog.
 */
export function registerLanguageModelTools(deps: Deps): vscode.Disposable[] {
  const api = newerApi();
  const { lm, LanguageModelToolResult: Result, LanguageModelTextPart: Text } = api;
  if (!lm?.registerTool || !Result || !Text) return [];
  const registerTool = lm.registerTool.bind(lm);
  return AGENT_TOOLS.map((spec) =>
    registerTool(languageModelToolName(spec.name), {
      invoke: async (options, token) => new Result([new Text(await run(deps, spec.name, options.input, token))]),
    }),
  );
}

async function run(deps: Deps, name: string, input: unknown, token: vscode.CancellationToken): Promise<Redacted> {
  if (!vscode.workspace.isTrusted) return redact('Blue-Green works only in a trusted workspace; nothing was done.');
  if (!deps.model.config) await deps.model.loadConfig();
  const config = deps.model.config;
  if (!config) return redact(deps.model.configProblem ?? 'no bluegreen.yaml');
  const result = await runAgentTool(name, input, deps.confirm, {
    config,
    via: "VS Code's language-model tools",
    // Through the model, so the tree and the badge show what the agent was told.
    status: async (wanted) => {
      await deps.model.refresh();
      const { snapshot, refreshError } = deps.model;
      if (!snapshot || refreshError) throw new BlueGreenError('refused', refreshError ?? 'the status could not be read');
      return { ...snapshot, apps: snapshot.apps.filter((a) => wanted.apps.some((w) => w.name === a.name)) };
    },
    logs: async (app, request) => {
      const cancel = new AbortController();
      const listening = token.onCancellationRequested(() => cancel.abort());
      try {
        return await readLogs(deps.model.runner, app, { ...request, signal: cancel.signal });
      } finally {
        listening.dispose();
      }
    },
    operate: async (title, app, body) => {
      const outcome = await operate(deps, title, { app: { name: app.name } }, body);
      if (!outcome.ok) throw outcome.error ?? new BlueGreenError('refused', outcome.message);
      return outcome.message;
    },
  });
  return redact(result.text);
}
