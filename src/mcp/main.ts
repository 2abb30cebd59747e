// `bluegreen mcp [--config FILE]`: the deployment tools for an editor's AI agent, over stdio.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import Ajv from 'ajv';
import { approvalSocketPath } from '../core/approval/socket';
import { loadConfigFile } from '../core/config/load';
import { createRunner } from '../core/ssh/fromConfig';
import { REFUSE_PROMPTS } from '../core/ssh/runner';
import { personApproval } from './approval';
import { progressReporter } from './progress';
import { AGENT_TOOLS, AgentArgs } from '../core/agent/tools';
import { runTool, ToolDeps } from './tools';

const VERSION = '0.1.0';

/**
 * Serves until the client closes stdin. The MCP server over the same core as the commands and the CLI. Arguments are checked
 * against each tool's schema before anything runs. Host keys not in known_hosts are refused:
 * nobody is there to check a fingerprint.
 */
export async function serveMcp(configFile: string): Promise<void> {
  const config = await loadConfigFile(configFile);
  const runner = createRunner(config, REFUSE_PROMPTS);
  const server = new Server(
    { name: 'bluegreen', version: VERSION },
    { capabilities: { tools: {} }, instructions: 'Blue-green releases over SSH. Look with get_deployment_status; deploy_to_standby never touches LIVE; switch_traffic, rollback and bump_version wait until a person approves in their editor.' },
  );
  const socketPath = approvalSocketPath(config.file);
  const deps: ToolDeps = { config, runner, approval: (signal) => personApproval({ socketPath, server, signal }) };
  const ajv = new Ajv({ allErrors: true, useDefaults: true });
  const checks = new Map(AGENT_TOOLS.map((t) => [t.name, ajv.compile(t.inputSchema)]));

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: AGENT_TOOLS.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations: { title, ...annotations } })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = AGENT_TOOLS.find((t) => t.name === request.params.name);
    if (!tool) return { isError: true, content: [{ type: 'text' as const, text: `There is no tool "${request.params.name}" (tools: ${AGENT_TOOLS.map((t) => t.name).join(', ')}).` }] };
    const args = { ...(request.params.arguments ?? {}) };
    const check = checks.get(tool.name)!;
    if (!check(args)) {
      const problems = (check.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'arguments'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
      return { isError: true, content: [{ type: 'text' as const, text: `${tool.name}: ${problems.join('; ')}. Nothing was run.` }] };
    }
    const { reporter } = progressReporter(extra._meta?.progressToken, (n) => extra.sendNotification(n));
    return runTool(tool.name, deps, args as AgentArgs, { signal: extra.signal, reporter });
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => {
      runner.dispose();
      resolve();
    };
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  await closed;
}
