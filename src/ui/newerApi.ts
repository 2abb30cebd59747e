import * as vscode from 'vscode';
import { Redacted } from '../core/redact';

/**
 * The editor APIs newer than `engines.vscode` (1.85) that Blue-Green uses when they are there:
 * language-model tools (VS Code 1.95+), MCP server definitions (1.101+), Cursor's MCP
 * registration. Declared here rather than from a newer @types/vscode (vsce refuses one newer
 * than the engine), and looked up at run time.
 */
export interface LanguageModelToolsApi {
  registerTool(name: string, tool: { invoke(options: { input: unknown }, token: vscode.CancellationToken): Promise<unknown> }): vscode.Disposable;
}

export interface McpDefinitionsApi {
  registerMcpServerDefinitionProvider(id: string, provider: { provideMcpServerDefinitions(): unknown[] }): vscode.Disposable;
}

export interface NewerVscode {
  lm?: Partial<LanguageModelToolsApi & McpDefinitionsApi>;
  LanguageModelToolResult?: new (parts: unknown[]) => unknown;
  /** What a tool answers VS Code's agent: only redacted text. */
  LanguageModelTextPart?: new (value: Redacted) => unknown;
  McpStdioServerDefinition?: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => unknown;
  cursor?: { mcp?: { registerServer?(config: { name: string; server: { command: string; args: string[]; env?: Record<string, string> } }): void; unregisterServer?(name: string): void } };
}

export function newerApi(): NewerVscode {
  return vscode as unknown as NewerVscode;
}
