import { BlueGreenError } from '../core/errors';
import { asTerminalText } from '../core/plan/render';
import { ConfirmAnswer, ConfirmPort, ConfirmRequest, emergencyReason, reasonMissing, redactedRequest, typedSlotMatches } from '../core/plan/confirm';
import { redact } from '../core/redact';
import { terminal, writeErr } from '../core/stdio';

/**
 * Asks on the terminal. Without a terminal (CI), nothing goes ahead unless --yes was given;
 * an emergency also needs --reason.
 */
export function terminalConfirm(o: { yes: boolean; reason?: string }): ConfirmPort {
  return {
    async confirm(asked: ConfirmRequest): Promise<ConfirmAnswer> {
      const request = redactedRequest(asked);
      if (o.yes) {
        writeErr(redact(`${asTerminalText(request)}\n(confirmed by --yes)\n`));
        if (reasonMissing(request, o.reason)) throw new BlueGreenError('not-confirmable', `${request.title} needs --reason TEXT (it is recorded in the history)`);
        return { ok: true, reason: emergencyReason(o.reason), via: '--yes' };
      }
      if (!process.stdin.isTTY) throw new BlueGreenError('not-confirmable', `${request.title} Not asked: no terminal. Pass --yes to confirm non-interactively.`);
      const rl = terminal();
      try {
        writeErr(redact(`\n${asTerminalText(request)}\n\n`));
        if (request.typeToConfirm) {
          const typed = await rl.ask(redact(`Type ${request.typeToConfirm} to ${request.action.toLowerCase()}: `));
          if (!typedSlotMatches(request, typed)) return { ok: false };
        } else {
          const typed = await rl.ask(redact(`${request.action}? [y/N] `));
          if (!/^y(es)?$/i.test(typed.trim())) return { ok: false };
        }
        // An empty reason is passed on: the release refuses it, with the state now.
        let reason = emergencyReason(o.reason);
        if (reasonMissing(request, reason)) reason = emergencyReason(await rl.ask(redact('Reason (recorded in the history): ')));
        return { ok: true, reason, via: 'terminal' };
      } finally {
        rl.close();
      }
    },
  };
}
