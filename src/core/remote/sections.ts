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
    const result = new Map<string, { output: string; code: number }>();
    const re = new RegExp(`^@@bg-${this.nonce}:begin (\\S+)\\n([\\s\\S]*?)\\n@@bg-${this.nonce}:end \\1 (\\d+)$`, 'gm');
    for (const m of stdout.matchAll(re)) result.set(m[1], { output: m[2], code: Number(m[3]) });
    return result;
  }
}
