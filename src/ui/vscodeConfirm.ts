import * as vscode from 'vscode';
import { ConfirmPort } from '../core/workflows/confirm';

/** A modal dialog; then the typed slot name when the request needs it, and a reason for an emergency. */
export function vscodeConfirm(): ConfirmPort {
  return {
    async confirm(request) {
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
          validateInput: (v) => (v.trim() === expected ? undefined : `Type ${expected} exactly`),
        });
        if (typed?.trim() !== expected) return { ok: false };
      }
      let reason: string | undefined;
      if (request.askReason) {
        reason = await vscode.window.showInputBox({ title: 'Emergency release: reason', prompt: 'Why? (recorded in the history on the LB host)', value: request.suggestedReason, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A reason is required') });
        if (!reason?.trim()) return { ok: false };
      }
      return { ok: true, reason, via: 'editor dialog' };
    },
  };
}
