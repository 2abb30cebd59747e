import { CommandRunner } from '../ssh/runner';
import { shQuote } from '../shell';

type Sections = Map<string, { output: string; code: number }>;

/** The exit code of a section the host skipped because its inputs had not changed. */
const UNCHANGED = 45;

export interface Remembered {
  fingerprint: string;
  sections: Sections;
}

/**
 * What a host answered last for files that rarely change (the deployed commit, package.json,
 * haproxy.cfg, the state file), kept with a fingerprint the host computes cheaply (shell
 * builtins, or one `stat`). The next probe sends the fingerprint it holds; the host compares
 * and skips the reads when nothing changed, so a warm refresh starts no `git` or `cat`.
 * Decisions that change anything (release, rollback, deploy) read the files again under the lock.
 */
export class UnchangedFiles {
  private readonly remembered = new Map<string, Remembered>();

  /** What is held for `key`: its fingerprint goes into the probe script, its sections back into the answer. */
  recall(key: string): Remembered | undefined {
    return this.remembered.get(key);
  }

  /**
   * Puts back the sections the host skipped, and remembers the answers when all of `names`
   * succeeded (a failure may be passing, so it is asked again next time) or ended as `lasting`
   * says an answer may (a file that is not there: its appearing changes the fingerprint).
   */
  settle(key: string, held: Remembered | undefined, fingerprint: string, sections: Sections, names: string[], lasting: (code: number) => boolean = (code) => code === 0): Sections {
    const filled = new Map(sections);
    for (const name of names) {
      const before = held?.sections.get(name);
      if (sections.get(name)?.code === UNCHANGED && before) filled.set(name, before);
    }
    const answered = (n: string) => filled.get(n)?.code;
    if (fingerprint && names.every((n) => answered(n) !== undefined && lasting(answered(n)!))) this.keep(key, fingerprint, new Map(names.map((n) => [n, filled.get(n)!])));
    else this.remembered.delete(key);
    return filled;
  }

  keep(key: string, fingerprint: string, sections: Sections): void {
    this.remembered.set(key, { fingerprint, sections });
  }
}

/** A section's command, skipped (exit 45) when the fingerprint in `$fp` is the one held. */
export function unlessUnchanged(held: string | undefined, command: string): string {
  // A function, not `(exit 45)`: a subshell would cost a fork on every warm refresh.
  return held === undefined ? command : `unchanged() { return ${UNCHANGED}; }\nif [ -n "$fp" ] && [ "$fp" = ${shQuote(held)} ]; then unchanged; else ${command}\nfi`;
}

const perRunner = new WeakMap<CommandRunner, UnchangedFiles>();

/** One memory per runner: it lives as long as the runner's connections. */
export function unchangedFilesOf(runner: CommandRunner): UnchangedFiles {
  let memo = perRunner.get(runner);
  if (!memo) perRunner.set(runner, (memo = new UnchangedFiles()));
  return memo;
}
