import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ApprovalEndpoint, askThroughSocket } from '../core/approval/socket';
import { BlueGreenError } from '../core/errors';
import { asAgentText } from '../core/plan/render';
import { ConfirmAnswer, ConfirmPort, emergencyReason, fitForApproval, reasonMissing, ShownRequest, typedSlotMatches } from '../core/plan/confirm';
import { redact, Redacted } from '../core/redact';

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

/** Every text of an elicitation form is shown by the agent's client: all of it redacted. */
type Field = { type: 'boolean'; title: Redacted; description?: Redacted; default?: boolean } | { type: 'string'; title: Redacted; description?: Redacted; default?: Redacted };

async function elicit(server: Server, request: ShownRequest, signal?: AbortSignal): Promise<ConfirmAnswer> {
  const properties: Record<string, Field> = {
    approve: { type: 'boolean', title: redact(request.action), description: redact('Tick to go ahead.'), default: false },
  };
  const required = ['approve'];
  if (request.typeToConfirm) {
    properties.typed = { type: 'string', title: redact(`Type ${request.typeToConfirm} to confirm`), description: request.typeReason || redact("Type the slot's name to go ahead.") };
    required.push('typed');
  }
  if (request.askReason) {
    properties.reason = { type: 'string', title: redact('Reason (recorded in the history)'), ...(request.suggestedReason ? { default: request.suggestedReason } : {}) };
    required.push('reason');
  }
  const result = await askForm(server, asAgentText(request), properties, required, signal);
  const content = (result.content ?? {}) as { approve?: unknown; typed?: unknown; reason?: unknown };
  if (result.action !== 'accept' || content.approve !== true) return { ok: false };
  if (!typedSlotMatches(request, content.typed)) return { ok: false };
  const reason = emergencyReason(content.reason);
  if (reasonMissing(request, reason)) return { ok: false };
  return { ok: true, reason, via: 'MCP elicitation' };
}

/** The one elicitation this server sends: its message and fields only as redacted text. */
function askForm(server: Server, message: Redacted, properties: Record<string, Field>, required: string[], signal?: AbortSignal) {
  return server.elicitInput({ mode: 'form', message: redact(message), requestedSchema: { type: 'object', properties, required } }, { signal, timeout: 15 * 60_000 });
}
