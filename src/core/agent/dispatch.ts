import * as path from 'node:path';
import { pickApp } from '../config/pickApp';
import { AppConfig, Config } from '../config/types';
import { errorMessage, isBlueGreenError } from '../errors';
import { redact } from '../redact';
import { Snapshot } from '../status/snapshot';
import { ConfirmPort, preApproved } from '../plan/confirm';
import { statusSentence } from '../status/describe';
import { failedStepOutput, OperationContext } from '../workflows/parts/operation';
import { commandsAllowedForAgent } from './commandsGate';
import { AGENT_TOOLS, AgentToolSpec, emergencyReasonMissing } from './tools';
import { LogsRequest, LogsResult } from '../workflows/logs';
import { logsAnswer } from './logsAnswer';
import { checkAgentArgs } from './validate';
import { agentWorkflow } from './workflows';

/** What a front end that serves the agent tools (the MCP server, the editor's tools) lends the dispatcher. */
export interface AgentHost {
  config: Config;
  /** How the agent reached us ("bluegreen mcp"): recorded with the person's name in the lock and the history. */
  via: string;
  /** The Snapshot of `config`'s apps, read now. */
  status(config: Config): Promise<Snapshot>;
  /** get_logs: readLogs over the front end's SSH, ended by its Cancel. */
  logs(app: AppConfig, request: LogsRequest): Promise<LogsResult>;
  /**
   * Runs `body` for `app` the front end's way (its step lines, Cancel, one operation at a time)
   * and returns `body`'s summary; a failure is thrown as it came, for the dispatcher to word.
   */
  operate(title: string, app: AppConfig, body: (ctx: OperationContext) => Promise<string>): Promise<string>;
}

export interface AgentResult {
  ok: boolean;
  /** What the agent reads: the outcome, ending with the state now. */
  text: string;
  /** get_deployment_status: the Snapshot `text` describes, for a medium that passes it on whole. */
  snapshot?: Snapshot;
}

const refused = (text: string): AgentResult => ({ ok: false, text });

/**
 * One tool call from an editor's AI agent, whichever front end it came through: the arguments
 * checked against the tool's schema, the status read fresh, an emergency without a reason
 * refused, and every other tool run as its core workflow. `approval` is the person's yes (a
 * modal dialog, the editor over the approval socket, an MCP elicitation): whatever asks for
 * one goes to it, and nothing in `input` can stand in for it.
 */
export async function runAgentTool(name: string, input: unknown, approval: ConfirmPort, host: AgentHost): Promise<AgentResult> {
  const spec = AGENT_TOOLS.find((t) => t.name === name);
  if (!spec) return refused(`There is no tool "${name}" (tools: ${AGENT_TOOLS.map((t) => t.name).join(', ')}).`);
  const checked = checkAgentArgs(spec, input ?? {});
  if (!checked.ok) return refused(`${name}: ${checked.problems.join('; ')}. Nothing was run.`);
  const { args } = checked;
  if (spec.name === 'get_deployment_status') {
    try {
      const config = args.app === undefined ? host.config : { ...host.config, apps: [pickApp(host.config, args.app)] };
      const snapshot = await host.status(config);
      return { ok: true, text: snapshot.apps.map(statusSentence).join('\n'), snapshot };
    } catch (e) {
      return refused(errorMessage(e));
    }
  }
  if (spec.name === 'get_logs') {
    try {
      const app = pickApp(host.config, args.app);
      const request = { target: args.slot ?? 'standby', lines: args.lines ?? 50, since: args.since, filter: args.filter, follow: false } as const;
      // A slot's log read by bluegreen.yaml's own logs command runs that command: allowed as written, like any other.
      if (request.target !== 'lb' && app.logs && Object.keys(app.logs).length) {
        const notAllowed = await commandsAllowedForAgent(host.config, approval);
        if (notAllowed) return refused(notAllowed);
      }
      return { ok: true, text: logsAnswer(await host.logs(app, request), request) };
    } catch (e) {
      return refused(errorMessage(e));
    }
  }
  if (emergencyReasonMissing(args)) return refused('An emergency switch needs a reason. Nothing was changed.');
  // Every other tool runs commands from bluegreen.yaml (a deploy's steps and hooks, the LB's validate and reload).
  const notAllowed = await commandsAllowedForAgent(host.config, approval);
  if (notAllowed) return refused(notAllowed);
  const workflow = agentWorkflow(spec.name, args, path.dirname(host.config.file));
  // Only a workflow that says it needs nobody's yes goes without one; anything else asks the person.
  const confirm = workflow.approval === 'none' ? preApproved() : approval;
  try {
    const app = pickApp(host.config, args.app);
    const summary = await host.operate(spec.title, app, async (ctx) => (await workflow.run({ ...ctx, confirm, who: redact(`${ctx.who} (agent, via ${host.via})`) })).summary);
    return { ok: true, text: summary };
  } catch (e) {
    return refused(failureText(spec, e));
  }
}

/** A failure as the agent reads it: what failed and the state now, then the failed step's last output. */
function failureText(spec: AgentToolSpec, e: unknown): string {
  if (isBlueGreenError(e, 'declined')) return `${spec.title} was not confirmed; nothing was changed. The person said no. ${errorMessage(e)}`;
  const output = failedStepOutput(e);
  return output ? `${errorMessage(e)}\n\n${output}` : errorMessage(e);
}
