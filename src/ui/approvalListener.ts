import { Server } from 'node:net';
import * as vscode from 'vscode';
import { approvalEndpoint, serveApprovals, windowSocketPath } from '../core/approval/socket';
import { ConfirmPort } from '../core/plan/confirm';
import { StatusModel } from './statusModel';
import { redact } from '../core/redact';
import { Output } from './sinks';

/**
 * Answers `bluegreen mcp`'s requests for approval from this workspace's config: each one is put
 * to the person in the same modal dialog the commands show, marked as coming from the agent.
 * Listens only in a trusted workspace with a valid bluegreen.yaml.
 */
export class ApprovalListener implements vscode.Disposable {
  private server?: Server;
  private listeningFor?: string;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: StatusModel,
    private readonly person: ConfirmPort,
    private readonly output: Output,
  ) {
    this.subscriptions = [model.onDidChange(() => this.update()), vscode.workspace.onDidGrantWorkspaceTrust(() => this.update())];
    this.update();
  }

  private update(): void {
    const file = vscode.workspace.isTrusted && this.model.config ? this.model.config.file : undefined;
    if (file === this.listeningFor) return;
    this.close();
    if (!file) return;
    // This window's own socket: another window on the same workspace keeps its own.
    const socketPath = windowSocketPath(approvalEndpoint(file));
    const fromAgent: ConfirmPort = {
      confirm: (request) => {
        this.output.info(redact(`[approval] your editor's AI agent asks: ${request.title}`));
        return this.person.confirm({ ...request, detail: `${request.detail}\n\nAsked by your editor's AI agent (bluegreen mcp). Only your answer here lets it go ahead.` });
      },
    };
    try {
      this.server = serveApprovals(socketPath, fromAgent, (message) => this.output.warn(redact(`[approval] ${message}`)));
      this.listeningFor = file;
    } catch (e) {
      this.output.warn(redact(`[approval] not listening for the agent's requests: ${(e as Error).message}`));
    }
  }

  private close(): void {
    this.server?.close();
    this.server = undefined;
    this.listeningFor = undefined;
  }

  dispose(): void {
    this.close();
    for (const s of this.subscriptions) s.dispose();
  }
}
