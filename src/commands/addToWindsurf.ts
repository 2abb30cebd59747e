import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { withMcpServer } from '../core/agent/mcpConfig';
import { Deps } from '../ui/deps';
import { MCP_SERVER_NAME, mcpLaunch } from '../ui/mcpRegistration';
import { showError, showInfo } from '../ui/sinks';
import { redact } from '../core/redact';

/** Windsurf reads its agent's MCP servers from this file (the tests point it elsewhere). */
function windsurfMcpConfig(): string {
  return process.env.BLUEGREEN_WINDSURF_MCP_CONFIG ?? path.join(os.homedir(), '.codeium', 'windsurf', 'mcp_config.json');
}

/**
 * Adds `bluegreen mcp` for this workspace to Windsurf's MCP servers, after showing the exact
 * entry; every other server is kept, and the file as it was is saved beside it.
 */
export async function addToWindsurf(deps: Deps): Promise<boolean> {
  if (!deps.model.config) await deps.model.loadConfig();
  const config = deps.model.config;
  if (!config) {
    void showError(redact(`Blue-Green: ${deps.model.configProblem ?? 'no valid bluegreen.yaml'}; the MCP server needs one.`));
    return false;
  }
  const file = windsurfMcpConfig();
  const before = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  const entry = mcpLaunch(deps.context, config.file);
  const next = withMcpServer(before, file, MCP_SERVER_NAME, entry);
  if (!next.changed) {
    void showInfo(redact(`Blue-Green is already one of Windsurf's MCP servers for ${config.file}.`));
    return true;
  }
  const backup = `${file}.bluegreen-backup`;
  const answer = await deps.confirm.confirm({
    title: `Add Blue-Green to Windsurf's MCP servers?`,
    detail: [`In ${file}, "mcpServers" gets:`, JSON.stringify({ [MCP_SERVER_NAME]: entry }, null, 2), '', before === undefined ? 'The file is created.' : `Every other server is kept; the file as it is now is saved as ${backup}.`, 'Cascade then has the Blue-Green tools; switches still wait for your approval here.'].join('\n'),
    action: 'Add Server',
  });
  if (!answer.ok) return false;
  await mkdir(path.dirname(file), { recursive: true });
  if (before !== undefined) await copyFile(file, backup);
  const temp = `${file}.bluegreen-new`;
  await writeFile(temp, next.text);
  await rename(temp, file);
  deps.output.info(redact(`[windsurf] added "${MCP_SERVER_NAME}" to ${file}${before !== undefined ? ` (was saved as ${backup})` : ''}`));
  void showInfo(redact(`Blue-Green: added to Windsurf's MCP servers. Refresh the MCP servers in Cascade to use it.`));
  return true;
}
