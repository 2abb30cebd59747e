import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface Contributed {
  command: string;
  title: string;
  category?: string;
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { commands: Contributed[] } };
const commands = pkg.contributes.commands;
const label = (c: Contributed) => (c.category ? `${c.category}: ${c.title}` : c.title);

/** The word a person types for a command, and the command it must run. */
const TYPED: [string, string][] = [
  ['Deploy', 'bluegreen.deploy'],
  ['Bump', 'bluegreen.bump'],
  ['Release', 'bluegreen.release'],
  ['Rollback', 'bluegreen.rollback'],
  ['Sync', 'bluegreen.sync'],
  ['Canary', 'bluegreen.canary'],
  ['Reconcile', 'bluegreen.reconcile'],
];

/**
 * What the command palette offers first for `typed`, for someone who has run none of them:
 * it keeps every command whose label has the text (at a word's start, or anywhere) and lists
 * recently used ones first, then the rest by name.
 */
function paletteFirst(typed: string): Contributed | undefined {
  return commands.filter((c) => label(c).toLowerCase().includes(typed.toLowerCase())).sort((a, b) => label(a).localeCompare(label(b)))[0];
}

describe('command titles in the palette', () => {
  it('are unique', () => {
    const seen = new Map<string, string>();
    for (const c of commands) {
      assert.equal(seen.get(c.title), undefined, `${c.command} and ${seen.get(c.title)} are both "${c.title}"`);
      seen.set(c.title, c.command);
    }
  });

  for (const [word, id] of TYPED) {
    it(`"${word}" starts only ${id}'s title, and the palette's first match for it (with and without the category) is ${id}`, () => {
      const starting = commands.filter((c) => new RegExp(`^${word}\\b`, 'i').test(c.title)).map((c) => c.command);
      assert.deepEqual(starting, [id]);
      const category = commands.find((c) => c.command === id)?.category;
      assert.equal(paletteFirst(word)?.command, id, `typing "${word}" offers "${label(paletteFirst(word)!)}" first`);
      if (category) assert.equal(paletteFirst(`${category}: ${word}`)?.command, id);
    });
  }
});
