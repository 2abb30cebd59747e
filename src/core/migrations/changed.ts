import { ChangedMigration } from './types';

/** The files of a `git diff -U0`, each with the lines it added and their numbers in the new file. */
export function parseAddedLines(diff: string): ChangedMigration[] {
  const files: ChangedMigration[] = [];
  let current: ChangedMigration | undefined;
  let inHeader = false;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: '', added: false, lines: new Map() };
      files.push(current);
      inHeader = true;
    } else if (!current) {
      continue;
    } else if (inHeader) {
      if (line.startsWith('new file mode')) current.added = true;
      // git ends the name with a tab when it has a space in it.
      else if (line.startsWith('+++ ')) current.path = line.slice(4).replace(/^b\//, '').replace(/\t$/, '');
      else if (line.startsWith('@@')) inHeader = false;
    }
    if (current && !inHeader) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
      if (hunk) next = Number(hunk[1]);
      else if (line.startsWith('+')) current.lines.set(next++, line.slice(1));
    }
  }
  return files.filter((f) => f.path);
}
