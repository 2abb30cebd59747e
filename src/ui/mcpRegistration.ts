import * as vscode from 'vscode';
import { newerApi } from './newerApi';
import { StatusModel } from './statusModel';
import { redact } from '../core/redact';
import { Output } from './sinks';

/** How an editor starts `bluegreen mcp` for this workspace: the editor's own Node.js and the bundled CLI. */
export function mcpLaunch(context: vscode.ExtensionContext, configFile: string): { command: string; args: string[]; env: Record<string, string> } {
  // In VS Code, Cursor and Windsurf process.execPath is Electron; this makes it run as Node.js.
  return { command: process.execPath, args: [context.asAbsolutePath('dist/cli.js'), 'mcp', '--config', configFile], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

export const MCP_SERVER_NAME = 'bluegreen';

/**
 * Offers `bluegreen mcp` to the editor's agent where the editor has an API for it: VS Code's
 * MCP server definitions (1.101+), Cursor's `vscode.cursor.mcp`. Windsurf has none: its
 * command adds the server to Windsurf's own file. Only for a trusted workspace with a valid
 * bluegreen.yaml; nothing happens on editors without these APIs.
 */
export function registerMcpServer(context: vscode.ExtensionContext, model: StatusModel, output: Output): vscode.Disposable[] {
  const api = newerApi();
  const disposables: vscode.Disposable[] = [];
  const configFile = () => (vscode.workspace.isTrusted && model.config ? model.config.file : undefined);
  const current = () => {
    const file = configFile();
    return file ? mcpLaunch(context, file) : undefined;
  };

  // An optional integration never fails the activation: an editor whose API differs gets a warning.
  const attempt = (editor: string, register: () => void) => {
    try {
      register();
      output.info(redact(`[mcp] bluegreen mcp is offered to ${editor}'s agent`));
    } catch (e) {
      output.warn(redact(`[mcp] could not offer bluegreen mcp to ${editor}'s agent: ${(e as Error).message}`));
    }
  };

  const lm = api.lm;
  if (lm?.registerMcpServerDefinitionProvider && api.McpStdioServerDefinition) {
    const registerProvider = lm.registerMcpServerDefinitionProvider.bind(lm);
    const Definition = api.McpStdioServerDefinition;
    const changed = new vscode.EventEmitter<void>();
    let shown: string | undefined;
    disposables.push(
      changed,
      model.onDidChange(() => {
        const file = configFile();
        if (file !== shown) {
          shown = file;
          changed.fire();
        }
      }),
    );
    attempt('VS Code', () =>
      disposables.push(
        registerProvider('bluegreen.mcp', {
          onDidChangeMcpServerDefinitions: changed.event,
          provideMcpServerDefinitions: () => {
            const launch = current();
            return launch ? [new Definition('Blue-Green', launch.command, launch.args, launch.env, context.extension.packageJSON.version)] : [];
          },
        } as { provideMcpServerDefinitions(): unknown[] }),
      ),
    );
  }

  const cursor = api.cursor?.mcp;
  if (cursor?.registerServer) {
    let registered: string | undefined;
    const update = () => {
      const launch = current();
      const key = launch ? JSON.stringify(launch) : undefined;
      if (key === registered) return;
      if (registered) cursor.unregisterServer?.(MCP_SERVER_NAME);
      if (launch) cursor.registerServer?.({ name: MCP_SERVER_NAME, server: launch });
      registered = key;
    };
    attempt('Cursor', () => {
      update();
      disposables.push(model.onDidChange(update), { dispose: () => registered && cursor.unregisterServer?.(MCP_SERVER_NAME) });
    });
  }
  return disposables;
}
