import { UsageError } from '../bin/args';
import { BlueGreenError } from '../core/errors';
import { redact } from '../core/redact';
import { terminal, writeErr } from '../core/stdio';
import { InitChooser } from '../core/workflows/init';

/** init's questions on the terminal: a numbered list, a typed value. Without a terminal, the option that answers it. */
export function terminalChooser(): InitChooser {
  const needTerminal = (question: string, option?: string) =>
    new UsageError(`${question} Not asked: no terminal.${option ? ` Answer with ${option}.` : ' Run bluegreen init in a terminal.'}`);
  return {
    async pick(question, choices, option) {
      if (!process.stdin.isTTY) throw needTerminal(question, option);
      const rl = terminal();
      try {
        writeErr(redact(`\n${question}\n${choices.map((c, i) => `  ${i + 1}. ${c.label}${c.detail ? `  (${c.detail})` : ''}`).join('\n')}\n`));
        for (;;) {
          const typed = (await rl.ask(redact(`1-${choices.length}, or Enter to stop: `))).trim();
          if (!typed) throw new BlueGreenError('declined', 'stopped; nothing was written');
          const n = Number(typed);
          if (Number.isInteger(n) && n >= 1 && n <= choices.length) return choices[n - 1].value;
        }
      } finally {
        rl.close();
      }
    },
    async ask(question, check) {
      if (!process.stdin.isTTY) throw needTerminal(question);
      const rl = terminal();
      try {
        for (;;) {
          const typed = (await rl.ask(redact(`${question} `))).trim();
          if (!typed) throw new BlueGreenError('declined', 'stopped; nothing was written');
          const problem = check(typed);
          if (!problem) return typed;
          writeErr(redact(`  ${problem}\n`));
        }
      } finally {
        rl.close();
      }
    },
  };
}
