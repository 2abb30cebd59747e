import * as readline from 'node:readline/promises';
import { BlueGreenError } from '../core/errors';
import { asTerminalText } from '../core/plan/render';
import { ConfirmAnswer, ConfirmPort, ConfirmRequest, emergencyReason, reasonMissing, redactedRequest, typedSlotMatches } from '../core/plan/confirm';
import { redact, Redacted } from '../core/redact';
import { writeErr } from '../core/stdio';

/** The one place the terminal is asked something: the question is shown, so it is redacted. */
function ask(rl: readline.Interface, question: Redacted): Promise<string> {
  return rl.question(question);
}

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
        if (reasonMissing(request, o.reason)) throw new BlueGreenError('not-confirmable', 'an emergency release needs --reason TEXT');
        return { ok: true, reason: emergencyReason(o.reason), via: '--yes' };
      }
      if (!process.stdin.isTTY) throw new BlueGreenError('not-confirmable', `${request.title} Not asked: no terminal. Pass --yes to confirm non-interactively.`);
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        writeErr(redact(`\n${asTerminalText(request)}\n\n`));
        if (request.typeToConfirm) {
          const typed = await ask(rl, redact(`Type ${request.typeToConfirm} to ${request.action.toLowerCase()}: `));
          if (!typedSlotMatches(request, typed)) return { ok: false };
        } else {
          const typed = await ask(rl, redact(`${request.action}? [y/N] `));
          if (!/^y(es)?$/i.test(typed.trim())) return { ok: false };
        }
        // An empty reason is passed on: the release refuses it, with the state now.
        let reason = emergencyReason(o.reason);
        if (reasonMissing(request, reason)) reason = emergencyReason(await ask(rl, redact('Reason (recorded in the history): ')));
        return { ok: true, reason, via: 'terminal' };
      } finally {
        rl.close();
      }
    },
  };
}
