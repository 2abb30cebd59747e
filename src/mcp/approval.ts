import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ApprovalEndpoint, askThroughSocket } from '../core/approval/socket';
import { BlueGreenError } from '../core/errors';
import { asAgentText } from '../core/plan/render';
import { ConfirmAnswer, ConfirmPort, ConfirmRequest, emergencyReason, fitForApproval, reasonMissing, typedSlotMatches } from '../core/plan/confirm';

/**
 * A person's yes for an agent's request, asked in this order: the Blue-Green extension in the
 * same editor (its own modal dialog, over the approval socket); else MCP elicitation, where the
 * client offers it; else a refusal that says how to approve. Nothing in the tool call itself
 * can answer: the agent only ever sees the outcome. "Not confirmed" is said only when a person
 * answered; when nobody was asked, the refusal says why.
 */
export function personApproval(o: { endpoint: ApprovalEndpoint; server: Server; signal?: AbortSignal }): ConfirmPort {
  return {
    async confirm(request) {
      const fromEditor = await askThroughSocket(o.endpoint, request, { signal: o.signal });
      if (fromEditor.kind === 'answered') return fromEditor.answer;
      if (fromEditor.kind === 'unasked') throw new BlueGreenError('not-confirmable', `${request.title} Not done: nobody answered (${fromEditor.why}). Nothing was changed.`);
      if (o.server.getClientCapabilities()?.elicitation) return elicit(o.server, fitForApproval(request), o.signal);
      throw new BlueGreenError(
        'not-confirmable',
        `${request.title} Not done: this needs a person's approval, and nobody could be asked${fromEditor.refused ? ` (${fromEditor.refused})` : ''}. Open this workspace in VS Code, Cursor or Windsurf with the Blue-Green extension (it shows the dialog), or run the matching \`bluegreen\` command in a terminal. Nothing was changed.`,
      );
    },
  };
}

async function elicit(server: Server, request: ConfirmRequest, signal?: AbortSignal): Promise<ConfirmAnswer> {
  type Field = { type: 'boolean'; title: string; description?: string; default?: boolean } | { type: 'string'; title: string; description?: string; default?: string };
  const properties: Record<string, Field> = {
    approve: { type: 'boolean', title: request.action, description: 'Tick to go ahead.', default: false },
  };
  const required = ['approve'];
  if (request.typeToConfirm) {
    properties.typed = { type: 'string', title: `Type ${request.typeToConfirm} to confirm`, description: request.typeReason || 'Type the slot\'s name to go ahead.' };
    required.push('typed');
  }
  if (request.askReason) {
    properties.reason = { type: 'string', title: 'Reason (recorded in the history)', ...(request.suggestedReason ? { default: request.suggestedReason } : {}) };
    required.push('reason');
  }
  const result = await server.elicitInput({ mode: 'form', message: asAgentText(request), requestedSchema: { type: 'object', properties, required } }, { signal, timeout: 15 * 60_000 });
  const content = (result.content ?? {}) as { approve?: unknown; typed?: unknown; reason?: unknown };
  if (result.action !== 'accept' || content.approve !== true) return { ok: false };
  if (!typedSlotMatches(request, content.typed)) return { ok: false };
  const reason = emergencyReason(content.reason);
  if (reasonMissing(request, reason)) return { ok: false };
  return { ok: true, reason, via: 'MCP elicitation' };
}
