import { BlueGreenError } from '../errors';

export interface McpServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * An editor's MCP config file (Windsurf's mcp_config.json: `{"mcpServers": {NAME: {command,
 * args, env}}}`) with one server added or replaced. Every other server and every other field
 * is kept; the text is written back as 2-space JSON. A file that is not a JSON object, or whose
 * `mcpServers` is not one, is refused rather than rewritten.
 */
export function withMcpServer(text: string | undefined, file: string, name: string, entry: McpServerEntry): { text: string; changed: boolean } {
  let config: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      config = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new BlueGreenError('refused', `${file} is not valid JSON (${(e as Error).message}); fix it first, nothing was changed`);
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw new BlueGreenError('refused', `${file} is not a JSON object; nothing was changed`);
  }
  const servers = config.mcpServers ?? {};
  if (!servers || typeof servers !== 'object' || Array.isArray(servers)) throw new BlueGreenError('refused', `"mcpServers" in ${file} is not an object; nothing was changed`);
  const next = { ...config, mcpServers: { ...(servers as Record<string, unknown>), [name]: entry } };
  const changed = JSON.stringify((servers as Record<string, unknown>)[name]) !== JSON.stringify(entry);
  return { text: `${JSON.stringify(next, null, 2)}\n`, changed };
}
