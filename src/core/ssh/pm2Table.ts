/**
 * pm2 prints its process list as a box table 13 columns wide, which wraps into noise in an
 * output channel; each of its rows becomes one line ("pm2: demo-green online · pid 4242 · ↺ 3 ·
 * mem 41.2mb"). Lines that are not the table pass as they are; a table cut short (no bottom
 * border) is given back whole. Written here: pm2 has no machine-readable form of this output.
 */
export class Pm2TableCondenser {
  private held: string[] = [];

  /** The lines to show now for one line of output. */
  line(text: string): string[] {
    const boxed = /^\s*[┌├└│]/.test(text);
    if (!boxed) return [...this.flush(), text];
    this.held.push(text);
    return /^\s*└/.test(text) ? this.condensed() : [];
  }

  /** What is held when the output ends: a table never closed, as it came. */
  flush(): string[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private condensed(): string[] {
    const rows = this.held.filter((l) => /^\s*│/.test(l)).map((l) => l.trim().replace(/^│|│$/g, '').split('│').map((c) => c.trim()));
    const [header, ...processes] = rows;
    const at = (name: string) => header?.indexOf(name) ?? -1;
    if (!header || at('name') < 0 || at('status') < 0) return this.flush();
    this.held = [];
    const cell = (row: string[], name: string) => (at(name) >= 0 ? row[at(name)] : undefined);
    return processes.map((row) => {
      const details = [['pid', 'pid'], ['↺', '↺'], ['mem', 'mem']].map(([column, label]) => cell(row, column) && `${label} ${cell(row, column)}`).filter(Boolean);
      return `pm2: ${cell(row, 'name')} ${cell(row, 'status')}${details.length ? ` · ${details.join(' · ')}` : ''}`;
    });
  }
}
