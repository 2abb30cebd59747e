import * as vscode from 'vscode';
import { ConfirmPort, emergencyReason, reasonMissing, redactedRequest, typedSlotMatches } from '../core/plan/confirm';

/** A modal dialog; then the typed slot name when the request needs it, and a reason for an emergency. */
export function vscodeConfirm(): ConfirmPort {
  return {
    async confirm(asked) {
      const request = redactedRequest(asked);
      const buttons = request.alternative ? [request.action, request.alternative] : [request.action];
      const picked = await vscode.window.showWarningMessage(request.title, { modal: true, detail: request.detail }, ...buttons);
      if (request.alternative && picked === request.alternative) return { ok: false, alternative: true };
      if (picked !== request.action) return { ok: false };
      if (request.typeToConfirm) {
        const expected = request.typeToConfirm;
        const typed = await vscode.window.showInputBox({
          title: request.typeReason ?? request.title,
          prompt: `Type ${expected} to ${request.action.toLowerCase()}`,
          ignoreFocusOut: true,
          validateInput: (v) => (typedSlotMatches(request, v) ? undefined : `Type ${expected} exactly`),
        });
        if (!typedSlotMatches(request, typed)) return { ok: false };
      }
      let reason: string | undefined;
      if (request.askReason) {
        reason = emergencyReason(await vscode.window.showInputBox({ title: 'Emergency release: reason', prompt: 'Why? (recorded in the history on the LB host)', value: request.suggestedReason, ignoreFocusOut: true, validateInput: (v) => (reasonMissing(request, v) ? 'A reason is required' : undefined) }));
        if (reasonMissing(request, reason)) return { ok: false };
      }
      return { ok: true, reason, via: 'editor dialog' };
    },
  };
}
