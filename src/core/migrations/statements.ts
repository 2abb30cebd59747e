import { MigrationsDialect } from '../config/types';

/** One SQL statement of a migration's added lines, as the check reads it. */
export interface Statement {
  /**
   * The statement's code: comments blanked, the text of strings and dollar quotes masked with
   * `_` (their quotes kept), quoted names kept but for the characters that would read as SQL
   * (`;` `,` `(`…, masked too). Each character stays where it was, so offsets find lines.
   */
  code: string;
  /** The line of each character of `code`. */
  lineOf: number[];
  /** What its dollar quotes hold, unmasked: a PostgreSQL routine's body, usually. */
  dollarQuoted: string[];
  /** What its strings hold, unmasked: the body of a PostgreSQL routine written `AS '…'`. */
  strings: string[];
}

export interface SplitStatements {
  statements: Statement[];
  /** A string, quoted name, comment, dollar quote or routine body still open at the end: what follows it cannot be told apart. */
  unclosed?: { line: number; what: string };
}

const WORD = /[\w$\u0080-\uffff]/;

/** A name, quoted or not, with its schema (or database) before a dot: a regular expression's source. */
export const NAME = String.raw`(?:"[^"]*"|\x60[^\x60]*\x60|[\w$\u0080-\uffff]+)(?:\s*\.\s*(?:"[^"]*"|\x60[^\x60]*\x60|[\w$\u0080-\uffff]+))*`;

/**
 * Splits the added lines into statements at `;` (or a MySQL client's `DELIMITER`), the way the
 * database reads them: PostgreSQL's nested block comments, dollar quotes and E'' strings;
 * MySQL's `#` comments, backslash escapes, "strings", and `/*! … *\/` comments it runs as code
 * (MariaDB's `/*M! … *\/` too).
 * Backticks quote names in both, so MySQL-style SQL still reads as statements under PostgreSQL.
 */
export function splitStatements(lines: Map<number, string>, dialect: MigrationsDialect): SplitStatements {
  const sorted = [...lines].sort((a, b) => a[0] - b[0]);
  const text = sorted.map(([, l]) => l).join('\n');
  const lineAt: number[] = [];
  for (const [n, l] of sorted) for (let k = 0; k <= l.length; k++) lineAt.push(n);
  const mysql = dialect === 'mysql';

  const statements: Statement[] = [];
  let code = '';
  let lineOf: number[] = [];
  let dollarQuoted: string[] = [];
  let strings: string[] = [];
  let delimiter = ';';
  let inRunnableComment = false;
  const put = (s: string, at: number) => {
    code += s;
    for (let k = 0; k < s.length; k++) lineOf.push(lineAt[at + k]);
  };
  const flush = () => {
    if (code.trim()) statements.push({ code, lineOf, dollarQuoted, strings });
    code = '';
    lineOf = [];
    dollarQuoted = [];
    strings = [];
  };
  const unclosed = (line: number, what: string): SplitStatements => {
    flush();
    return { statements, unclosed: { line, what } };
  };

  for (let i = 0; i < text.length; ) {
    const c = text[i];
    const next = text[i + 1];
    const atLineStart = i === 0 || text[i - 1] === '\n';
    if (mysql && atLineStart && !code.trim()) {
      // The mysql client's own command, not SQL: statements end with its delimiter until the next.
      const directive = /[ \t]*DELIMITER[ \t]+(\S+)[^\n]*/iy;
      directive.lastIndex = i;
      const m = directive.exec(text);
      if (m) {
        delimiter = m[1];
        put(' '.repeat(m[0].length), i);
        i += m[0].length;
        continue;
      }
    }
    if (text.startsWith(delimiter, i) && !insideRoutineBody(code, delimiter, dialect)) {
      flush();
      i += delimiter.length;
    } else if ((c === '-' && next === '-' && (!mysql || !text[i + 2] || /\s/.test(text[i + 2]))) || (mysql && c === '#')) {
      const end = text.indexOf('\n', i);
      const to = end < 0 ? text.length : end;
      put(' '.repeat(to - i), i);
      i = to;
    } else if (c === '/' && next === '*' && mysql && (text[i + 2] === '!' || text.startsWith('M!', i + 2))) {
      const marker = /\/\*M?!\d*/y;
      marker.lastIndex = i;
      const length = marker.exec(text)![0].length;
      put(' '.repeat(length), i);
      i += length;
      inRunnableComment = true;
    } else if (c === '*' && next === '/' && inRunnableComment) {
      put('  ', i);
      i += 2;
      inRunnableComment = false;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(text, i, !mysql);
      if (end < 0) return unclosed(lineAt[i], 'a /* comment');
      put(text.slice(i, end).replace(/[^\n]/g, ' '), i);
      i = end;
    } else if (c === "'" || (c === '"' && mysql)) {
      const backslashes = mysql || (/[Ee]/.test(text[i - 1] ?? '') && !WORD.test(text[i - 2] ?? ''));
      const end = quoteEnd(text, i, backslashes);
      if (end < 0) return unclosed(lineAt[i], 'a string');
      strings.push(text.slice(i + 1, end - 1));
      put(`${c}${'_'.repeat(end - i - 2)}${c}`, i);
      i = end;
    } else if (c === '"' || c === '`') {
      const end = quoteEnd(text, i, false);
      if (end < 0) return unclosed(lineAt[i], `a ${c}quoted${c} name`);
      put(`${c}${text.slice(i + 1, end - 1).replace(/[^\w$\u0080-\uffff]/g, '_')}${c}`, i);
      i = end;
    } else if (c === '$' && !mysql && dollarTagAt(text, i)) {
      const tag = dollarTagAt(text, i)!;
      const close = text.indexOf(tag, i + tag.length);
      if (close < 0) return unclosed(lineAt[i], `a ${tag} quote`);
      dollarQuoted.push(text.slice(i + tag.length, close));
      put(`${tag}${'_'.repeat(close - i - tag.length)}${tag}`, i);
      i = close + tag.length;
    } else {
      put(c, i);
      i++;
    }
  }
  if (insideRoutineBody(code, delimiter, dialect)) return unclosed(lineOf[code.search(/\S/)], "a routine's BEGIN … END");
  flush();
  return { statements };
}

/** The code of a routine's body as its own statements read, with the bodies nested in it; undefined when it does not read as SQL. */
export function codeOf(body: string, dialect: MigrationsDialect): string | undefined {
  const { statements, unclosed } = splitStatements(new Map(body.split('\n').map((l, i) => [i + 1, l])), dialect);
  if (unclosed) return undefined;
  return statements.map((s) => [s.code, ...s.dollarQuoted.map((q) => codeOf(q, dialect) ?? q)].join(' ')).join(' ; ');
}

/**
 * What makes a statement a body of code rather than one change: PostgreSQL's DO and functions
 * (their bodies quoted), MySQL's stored programs (their bodies SQL between BEGIN and END).
 */
export function routineKind(code: string, dialect: MigrationsDialect): string | undefined {
  if (dialect === 'postgres' && /^\s*DO\b/i.test(code)) return 'a DO block';
  const kinds = dialect === 'postgres' ? 'FUNCTION|PROCEDURE' : 'FUNCTION|PROCEDURE|TRIGGER|EVENT';
  const m = new RegExp(String.raw`^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:AGGREGATE\s+)?(${kinds})\b`, 'i').exec(code);
  return m ? `${/^E/i.test(m[1]) ? 'an' : 'a'} ${m[1].toLowerCase()}` : undefined;
}

/** Whether `;` here is inside a routine's BEGIN … END (CASE … END counted alike), so does not end it. */
function insideRoutineBody(code: string, delimiter: string, dialect: MigrationsDialect): boolean {
  if (delimiter !== ';' || !routineKind(code, dialect)) return false;
  let depth = 0;
  // END IF, END LOOP… close what is not counted; END CASE closes a CASE like END does.
  for (const m of code.matchAll(/\bEND\b(?:\s+(IF|LOOP|WHILE|REPEAT|CASE)\b)?|\b(?:BEGIN|CASE)\b/gi)) {
    if (!/^END\b/i.test(m[0])) depth++;
    else if (!m[1] || m[1].toUpperCase() === 'CASE') depth--;
  }
  return depth > 0;
}

/** The `$tag$` that opens a dollar quote at `i` (not a `$` inside a name, nor a parameter `$1`). */
function dollarTagAt(text: string, i: number): string | undefined {
  if (WORD.test(text[i - 1] ?? '')) return undefined;
  const tag = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;
  tag.lastIndex = i;
  return tag.exec(text)?.[0];
}

/** The index after a block comment that starts at `from`; PostgreSQL's nest. -1 when it does not end. */
function blockCommentEnd(text: string, from: number, nests: boolean): number {
  let depth = 0;
  for (let i = from; i < text.length - 1; i++) {
    if (text[i] === '/' && text[i + 1] === '*' && (nests || depth === 0)) {
      depth++;
      i++;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The index after the quote that closes the one at `from` (doubled quotes stay inside). -1 when it does not close. */
function quoteEnd(text: string, from: number, backslashes: boolean): number {
  const q = text[from];
  for (let i = from + 1; i < text.length; i++) {
    if (backslashes && text[i] === '\\') i++;
    else if (text[i] === q) {
      if (text[i + 1] !== q) return i + 1;
      i++;
    }
  }
  return -1;
}
