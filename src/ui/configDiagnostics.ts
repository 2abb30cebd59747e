import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { ConfigError, parseConfig } from '../core/config/load';

/** How long typing pauses before the file is checked again. */
const TYPING_PAUSE_MS = 300;

/**
 * bluegreen.yaml's problems in the Problems panel and as squiggles: from the file when the
 * model loads it, and from the editor's text as you type (the model keeps the saved file).
 */
export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('bluegreen');
  private readonly typing: vscode.Disposable;
  private timer?: ReturnType<typeof setTimeout>;

  constructor() {
    this.typing = vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isWorkspaceConfig(e.document.uri)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.check(e.document.uri, e.document.getText()), TYPING_PAUSE_MS);
    });
  }

  /** Shows what `error` says about the file (a ConfigError's problems), or clears it. */
  show(uri: vscode.Uri, error?: unknown): void {
    if (!(error instanceof ConfigError)) {
      this.collection.delete(uri);
      return;
    }
    this.collection.set(
      uri,
      error.problems.map((p) => {
        const pos = new vscode.Position(p.line - 1, p.col - 1);
        const d = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'Blue-Green';
        return d;
      }),
    );
  }

  clear(): void {
    this.collection.clear();
  }

  private check(uri: vscode.Uri, text: string): void {
    try {
      parseConfig(text, uri.fsPath);
      this.show(uri);
    } catch (e) {
      this.show(uri, e);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.typing.dispose();
    this.collection.dispose();
  }
}

function isWorkspaceConfig(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && path.basename(uri.fsPath) === CONFIG_FILE_NAME && (vscode.workspace.workspaceFolders ?? []).some((f) => path.dirname(uri.fsPath) === f.uri.fsPath);
}
