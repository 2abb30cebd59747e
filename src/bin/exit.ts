import { errorMessage, ErrorReason, isBlueGreenError } from '../core/errors';
import { redact } from '../core/redact';
import { printErr } from '../core/stdio';

/** The documented exit codes; every other failure is 1. */
const EXIT_CODES: Partial<Record<ErrorReason, number>> = { usage: 2, refused: 3, 'unsafe-value': 3, locked: 4, declined: 5, 'not-confirmable': 5 };

/** Ends the process with the command's code, or with the failure said in one line and its exit code. */
export function exitWith(outcome: Promise<number>, usage: () => string): void {
  outcome.then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (isBlueGreenError(e, 'usage')) printErr(redact(`bluegreen: ${e.message}\n\n${usage()}`));
      // Config problems are one per line (file:line:col); everything else is one line.
      else printErr(isBlueGreenError(e, 'config-invalid') ? errorMessage(e) : redact(`bluegreen: ${errorMessage(e).replace(/\n/g, ' ')}`));
      process.exit((isBlueGreenError(e) && EXIT_CODES[e.reason]) || 1);
    },
  );
}
