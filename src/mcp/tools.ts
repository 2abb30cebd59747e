import * as path from 'node:path';
import { pickApp } from '../core/config/pickApp';
import { Config } from '../core/config/types';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { AgentArgs, AgentToolName, emergencyReasonMissing } from '../core/agent/tools';
import { agentWorkflow } from '../core/agent/workflows';
import { CommandRunner } from '../core/ssh/runner';
import { takeSnapshot } from '../core/status/refresh';
import { ConfirmPort, preApproved } from '../core/workflows/confirm';
import { statusSentence } from '../core/workflows/describe';
import { OperationContext, WorkflowError } from '../core/workflows/operation';
import { Reporter } from '../core/workflows/reporter';
import { whoAmI } from '../core/workflows/who';

export interface ToolDeps {
  config: Config;
  runner: CommandRunner;
  /** A person's yes for this call (the editor's dialog, elicitation, or a refusal). */
  approval(signal: AbortSignal): ConfirmPort;
}

/** What a call brings besides its arguments: Cancel, and where its step lines go. */
export interface CallContext {
  signal: AbortSignal;
  reporter: Reporter;
}

export interface ToolResult {
  content: { type: 'text'; text: string }[];
  isError?: boolean;
  [key: string]: unknown;
}

const text = (t: string): ToolResult => ({ content: [{ type: 'text', text: t }] });
const failure = (t: string): ToolResult => ({ isError: true, content: [{ type: 'text', text: t }] });

/**
 * Runs one workflow for a call: the app picked, the step lines to the reporter, and the outcome
 * as text ending with the state now. A failure is a tool error saying the same.
 */
async function operate(deps: ToolDeps, args: AgentArgs, call: CallContext, approval: 'person' | 'none', body: (ctx: OperationContext) => Promise<{ summary: string }>): Promise<ToolResult> {
  try {
    const ctx: OperationContext = {
      runner: deps.runner,
      app: pickApp(deps.config, args.app),
      reporter: call.reporter,
      confirm: approval === 'person' ? deps.approval(call.signal) : preApproved(),
      who: `${whoAmI()} (agent, via bluegreen mcp)`,
      signal: call.signal,
      workspace: path.dirname(deps.config.file),
    };
    return text((await body(ctx)).summary);
  } catch (e) {
    const tail = e instanceof WorkflowError && e.lastLines.length ? `\n\nLast output of the failed step:\n${e.lastLines.join('\n')}` : '';
    return failure(`${errorMessage(e)}${isBlueGreenError(e, 'declined') ? ' The person said no.' : ''}${tail}`);
  }
}

/** A tool call: the status is read here; every other tool runs its core workflow. */
export async function runTool(name: AgentToolName, deps: ToolDeps, args: AgentArgs, call: CallContext): Promise<ToolResult> {
  if (name === 'get_deployment_status') {
    try {
      const config = args.app === undefined ? deps.config : { ...deps.config, apps: [pickApp(deps.config, args.app)] };
      const snapshot = await takeSnapshot(deps.runner, config);
      return { content: [{ type: 'text', text: snapshot.apps.map(statusSentence).join('\n') }, { type: 'text', text: JSON.stringify(snapshot, null, 2) }] };
    } catch (e) {
      return failure(errorMessage(e));
    }
  }
  if (emergencyReasonMissing(args)) return failure('An emergency switch needs a reason. Nothing was changed.');
  const workflow = agentWorkflow(name, args, path.dirname(deps.config.file));
  return operate(deps, args, call, workflow.approval, workflow.run);
}
