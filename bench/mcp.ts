import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * How long an editor waits for `bluegreen mcp` before it can list tools: from starting the
 * process to the answer to `initialize`, as a real MCP client sees it (the SDK's).
 */
export async function mcpInitializeMs(projectRoot: string, configFile: string): Promise<number> {
  const started = performance.now();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(projectRoot, 'dist', 'cli.js'), 'mcp', '--config', configFile], stderr: 'ignore' }));
  const ms = performance.now() - started;
  await client.close();
  return ms;
}
