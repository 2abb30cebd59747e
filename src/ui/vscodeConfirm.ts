import * as vscode from 'vscode';
import { ConfirmPort } from '../core/workflows/confirm';

/** A modal dialog; for an emergency also the typed slot name and a reason. */
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
          title: 'Emergency release: health checks are skipped',
          prompt: `Type ${expected} to switch traffic to it without the health gate`,
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
