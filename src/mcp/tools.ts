import * as path from 'node:path';
import { runAgentTool } from '../core/agent/dispatch';
import { Config } from '../core/config/types';
import { CommandRunner } from '../core/ssh/runner';
import { takeSnapshot } from '../core/status/refresh';
import { readLogs } from '../core/workflows/logs';
import { ConfirmPort } from '../core/plan/confirm';
import { redact, redactedJson } from '../core/redact';
import { textResult, ToolResult } from './results';
import { Reporter } from '../core/workflows/parts/reporter';
import { whoAmI } from '../core/workflows/parts/who';

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

/**
 * A tool call, as the core's dispatcher answers it, in MCP's shape: a failure is a tool error;
 * the status comes with the Snapshot as JSON after its sentences.
 */
export async function runTool(name: string, deps: ToolDeps, input: unknown, call: CallContext): Promise<ToolResult> {
  const approval = deps.approval(call.signal);
  const result = await runAgentTool(name, input, approval, {
    config: deps.config,
    via: 'bluegreen mcp',
    status: (config) => takeSnapshot(deps.runner, config),
    logs: (app, request) => readLogs(deps.runner, app, { ...request, signal: call.signal }),
    operate: (_title, app, body) => body({ runner: deps.runner, app, reporter: call.reporter, confirm: approval, who: whoAmI(), signal: call.signal, workspace: path.dirname(deps.config.file) }),
  });
  return textResult([redact(result.text), ...(result.snapshot ? [redactedJson(result.snapshot, 2)] : [])], !result.ok);
}
