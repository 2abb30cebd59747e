import { ConfirmPort, emergencyReason, reasonMissing, redactedRequest, typedSlotMatches } from '../core/plan/confirm';
import { redact } from '../core/redact';
import { askInput, askModal } from './sinks';

/** A modal dialog; then the typed slot name when the request needs it, and a reason for an emergency. */
export function vscodeConfirm(): ConfirmPort {
  return {
    async confirm(asked) {
      const request = redactedRequest(asked);
      const buttons = request.alternative ? [request.action, request.alternative] : [request.action];
      const picked = await askModal(request.title, request.detail, ...buttons);
      if (request.alternative && picked === request.alternative) return { ok: false, alternative: true };
      if (picked !== request.action) return { ok: false };
      if (request.typeToConfirm) {
        const expected = request.typeToConfirm;
        const typed = await askInput({
          title: request.typeReason ?? request.title,
          prompt: redact(`Type ${expected} to ${request.action.toLowerCase()}`),
          ignoreFocusOut: true,
          validateInput: (v) => (typedSlotMatches(request, v) ? undefined : redact(`Type ${expected} exactly`)),
        });
        if (!typedSlotMatches(request, typed)) return { ok: false };
      }
      let reason: string | undefined;
      if (request.askReason) {
        reason = emergencyReason(await askInput({ title: request.reasonTitle ?? redact('Emergency release: reason'), prompt: redact('Why? (recorded in the history on the LB host)'), value: request.suggestedReason, ignoreFocusOut: true, validateInput: (v) => (reasonMissing(request, v) ? redact('A reason is required') : undefined) }));
        if (reasonMissing(request, reason)) return { ok: false };
      }
      return { ok: true, reason, via: 'editor dialog' };
    },
  };
}
