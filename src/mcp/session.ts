import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { approvalEndpoint } from '../core/approval/socket';
import { AgentToolName } from '../core/agent/tools';
import { loadConfigFile } from '../core/config/load';
import { createRunner } from '../core/config/sshRunner';
import { REFUSE_PROMPTS } from '../core/ssh/runner';
import { personApproval } from './approval';
import { ToolResult } from './results';
import { CallContext, runTool } from './tools';

/** What a tool call needs: the config and the SSH runner. Loaded once, after `initialize`. */
export interface Session {
  call(name: AgentToolName, args: Record<string, unknown>, call: CallContext): Promise<ToolResult>;
  close(): void;
}

/** Host keys not in known_hosts are refused: nobody is there to check a fingerprint. */
export async function openSession(configFile: string, server: Server): Promise<Session> {
  const config = await loadConfigFile(configFile);
  const runner = createRunner(config, REFUSE_PROMPTS);
  const endpoint = approvalEndpoint(config.file);
  return {
    call: (name, input, call) => runTool(name, { config, runner, approval: (signal) => personApproval({ endpoint, server, signal }) }, input, call),
    close: () => runner.dispose(),
  };
}
