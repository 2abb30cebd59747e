// `bluegreen mcp [--config FILE]`: the deployment tools for an editor's AI agent, over stdio.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseCliArgs, serverConfigFile } from '../bin/args';
import { exitWith } from '../bin/exit';
import { AGENT_TOOLS } from '../core/agent/tools';
import { BlueGreenError, errorMessage } from '../core/errors';
import { redact } from '../core/redact';
import { printErr } from '../core/stdio';
import { progressReporter } from './progress';
import { textResult } from './results';
import type { Session } from './session';

const VERSION = '0.1.0';

/**
 * Serves until the client closes stdin. The editor waits for `initialize`, so the server
 * answers it and lists the tools first; the config, SSH and the argument checks load right
 * after (a module of their own, loaded lazily) and are ready by the first call.
 */
export async function serveMcp(configFile: string): Promise<void> {
  if (!existsSync(configFile)) throw new BlueGreenError('config-missing', `${path.resolve(configFile)} does not exist; pass --config FILE`);
  const server = new Server(
    { name: 'bluegreen', version: VERSION },
    { capabilities: { tools: {} }, instructions: 'Blue-green releases over SSH. Look with get_deployment_status, and read the log of a slot or of HAProxy with get_logs; deploy_to_staging and deploy_to_standby never touch LIVE; promote_to_standby deploys only what staging passed; switch_traffic, rollback and bump_version wait until a person approves in their editor.' },
  );
  let session: Promise<Session> | undefined;
  const opened = () => (session ??= import('./session').then((m) => m.openSession(configFile, server)));

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: AGENT_TOOLS.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations: { title, ...annotations } })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = AGENT_TOOLS.find((t) => t.name === request.params.name);
    if (!tool) return textResult([redact(`There is no tool "${request.params.name}" (tools: ${AGENT_TOOLS.map((t) => t.name).join(', ')}).`)], true);
    let ready: Session;
    try {
      ready = await opened();
    } catch (e) {
      return textResult([redact(`${errorMessage(e)}\nNothing was run.`)], true);
    }
    const reporter = progressReporter(extra._meta?.progressToken, extra);
    return ready.call(tool.name, request.params.arguments ?? {}, { signal: extra.signal, reporter });
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => {
      void session?.then((s) => s.close(), () => undefined);
      resolve();
    };
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  // Ready by the first call; a config problem is said then, to the agent, and on stderr now.
  opened().catch((e: unknown) => printErr(redact(`bluegreen mcp: ${errorMessage(e)}`)));
  await closed;
}

const USAGE = 'usage: bluegreen [--config FILE] mcp\n\nServes the Blue-Green tools to an MCP client over stdio, until the client closes stdin.';

/** `bluegreen mcp`, started by the launcher without the rest of the CLI. */
export function run(argv: string[]): void {
  exitWith(
    (async () => {
      await serveMcp(serverConfigFile(parseCliArgs(argv), 'mcp'));
      return 0;
    })(),
    () => USAGE,
  );
}
