import { randomBytes } from 'node:crypto';

/**
 * Several probes in one remote script, each output framed by markers carrying an
 * unguessable nonce, so file contents can never forge a section boundary.
 */
export class SectionedScript {
  private readonly nonce = randomBytes(8).toString('hex');
  private readonly parts: string[] = [];

  add(name: string, command: string): this {
    this.parts.push(`printf '%s\\n' '@@bg-${this.nonce}:begin ${name}'`, `{ ${command}\n} 2>&1`, `printf '\\n%s %s\\n' '@@bg-${this.nonce}:end ${name}' "$?"`);
    return this;
  }

  get script(): string {
    return this.parts.join('\n') + '\n';
  }

  parse(stdout: string): Map<string, { output: string; code: number }> {
    // indexOf, not a regular expression: this runs on every probe of every refresh.
    const result = new Map<string, { output: string; code: number }>();
    const begin = `@@bg-${this.nonce}:begin `;
    for (let at = stdout.indexOf(begin); at >= 0; at = stdout.indexOf(begin, at + 1)) {
      if (at > 0 && stdout[at - 1] !== '\n') continue;
      const nameEnd = stdout.indexOf('\n', at + begin.length);
      if (nameEnd < 0) break;
      const name = stdout.slice(at + begin.length, nameEnd);
      // The end marker's leading newline is the begin line's own when the output is empty.
      const endMark = `\n@@bg-${this.nonce}:end ${name} `;
      const endAt = stdout.indexOf(endMark, nameEnd);
      if (endAt < 0) continue;
      const code = /^\d+(?=\n|$)/.exec(stdout.slice(endAt + endMark.length, endAt + endMark.length + 12));
      if (!code) continue;
      result.set(name, { output: stdout.slice(nameEnd + 1, Math.max(endAt, nameEnd + 1)), code: Number(code[0]) });
      at = endAt;
    }
    return result;
  }
}
