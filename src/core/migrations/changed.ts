import { CANNOT_JUDGE, ChangedMigration, UnsafeStatement } from './types';

/**
 * The files of a `git diff -U0`, each with the lines it added and their numbers in the new file;
 * a file whose added text cannot be read as SQL carries the finding that sends a person to it.
 */
export function parseAddedLines(diff: string): ChangedMigration[] {
  const files: ChangedMigration[] = [];
  let current: ChangedMigration | undefined;
  let inHeader = false;
  let header = '';
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: '', added: false, lines: new Map() };
      header = line;
      files.push(current);
      inHeader = true;
    } else if (!current) {
      continue;
    } else if (inHeader) {
      if (line.startsWith('new file mode')) current.added = true;
      // git ends the name with a tab when it has a space in it.
      else if (line.startsWith('+++ ')) current.path = line.slice(4).replace(/^b\//, '').replace(/\t$/, '');
      else if (line.startsWith('@@')) inHeader = false;
      // What git takes for binary (by its bytes, or a `-diff` or `binary` attribute, unless --text) shows no lines at all.
      else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') {
        current.path = pathOfDiffLine(header);
        current.unreadable = { line: 1, operation: CANNOT_JUDGE, text: line, why: 'git shows it as binary, so its added lines cannot be read' };
      }
    }
    if (current && !inHeader) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      if (hunk) next = Number(hunk[1]);
      else if (line.startsWith('+')) current.lines.set(next++, line.slice(1));
    }
  }
  for (const f of files) f.unreadable ??= notSql(f);
  return files.filter((f) => f.path);
}

/**
 * `diff --git a/NAME b/NAME`: the name when no `+++` line follows (a binary file). Both names are
 * one, since renames are not detected, so the line splits in the middle whatever spaces it holds.
 * A name git quoted is kept as written: the file is still listed, and still sent to a person.
 */
function pathOfDiffLine(line: string): string {
  const names = line.slice('diff --git '.length);
  const half = (names.length - 1) / 2;
  const [a, b] = [names.slice(0, half), names.slice(half + 1)];
  return a.startsWith('a/') && b.startsWith('b/') && a.slice(2) === b.slice(2) ? b.slice(2) : names;
}

/**
 * Added lines that are not the SQL the database will run: UTF-16 (every other byte a NUL) or
 * other binary shown by --text, or the pointer Git LFS keeps in the file's place. Any check would
 * read nothing unsafe in them.
 */
function notSql(f: ChangedMigration): UnsafeStatement | undefined {
  const first = Math.min(...f.lines.keys());
  const added = [...f.lines.values()];
  const finding = (why: string): UnsafeStatement => ({ line: first, operation: CANNOT_JUDGE, text: printable(f.lines.get(first) ?? ''), why });
  if (added.some((l) => l.includes('\0'))) return finding('it is not UTF-8 text (UTF-16, or binary), so its added lines cannot be read');
  if (/^version \S+\/spec\/v\d+$/.test(f.lines.get(1) ?? '') && added.some((l) => /^oid sha256:[0-9a-f]{64}$/.test(l))) return finding('it is a Git LFS pointer, not the SQL');
  return undefined;
}

/** The line as a dialog can show it: without NULs and other control characters. */
function printable(line: string): string {
  return [...line].filter((c) => c >= ' ' || c === '\t').join('').trim();
}
