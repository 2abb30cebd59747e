import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import Ajv from 'ajv';
import { approvalSocketPath } from '../core/approval/socket';
import { AGENT_TOOLS, AgentArgs, AgentToolName } from '../core/agent/tools';
import { loadConfigFile } from '../core/config/load';
import { createRunner } from '../core/config/sshRunner';
import { REFUSE_PROMPTS } from '../core/ssh/runner';
import { personApproval } from './approval';
import { CallContext, runTool, ToolResult } from './tools';

/** What a tool call needs: the config, the SSH runner, the argument checks. Loaded once, after `initialize`. */
export interface Session {
  call(name: AgentToolName, args: Record<string, unknown>, call: CallContext): Promise<ToolResult>;
  close(): void;
}

/** Host keys not in known_hosts are refused: nobody is there to check a fingerprint. */
export async function openSession(configFile: string, server: Server): Promise<Session> {
  const config = await loadConfigFile(configFile);
  const runner = createRunner(config, REFUSE_PROMPTS);
  const socketPath = approvalSocketPath(config.file);
  const ajv = new Ajv({ allErrors: true, useDefaults: true });
  const checks = new Map(AGENT_TOOLS.map((t) => [t.name, ajv.compile(t.inputSchema)]));
  return {
    async call(name, input, call) {
      const args = { ...input };
      const check = checks.get(name)!;
      if (!check(args)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'arguments'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
        return { isError: true, content: [{ type: 'text', text: `${name}: ${problems.join('; ')}. Nothing was run.` }] };
      }
      return runTool(name, { config, runner, approval: (signal) => personApproval({ socketPath, server, signal }) }, args as AgentArgs, call);
    },
    close: () => runner.dispose(),
  };
}
