import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../core/config/types';

/**
 * The app the person is working on: the one whose `folder:` holds the active editor's file,
 * else the one named like the workspace folder that holds it. Undefined when none or unclear.
 */
export function focusedApp(config: Config | undefined, editor = vscode.window.activeTextEditor): string | undefined {
  if (!config) return undefined;
  if (config.apps.length === 1) return config.apps[0].name;
  const uri = editor?.document.uri;
  if (!uri || uri.scheme !== 'file') return undefined;
  const file = uri.fsPath;
  const inside = (dir: string) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  // The deepest folder wins: services/shop inside services.
  const byFolder = config.apps.filter((a) => a.folder && inside(a.folder)).sort((a, b) => b.folder!.length - a.folder!.length)[0];
  if (byFolder) return byFolder.name;
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.name;
  return config.apps.find((a) => a.name === folder)?.name;
}
