import { UnsafeOperation, UnsafeStatement } from './types';

/**
 * The built-in check: exactly the operations that break a rollback while both slots share one
 * database. Written here because no maintained JavaScript package lints PostgreSQL migrations
 * for them; squawk does it better and is used when the workspace has it.
 */
export function builtinCheck(lines: Map<number, string>): UnsafeStatement[] {
  const found: UnsafeStatement[] = [];
  for (const statement of statements(lines)) {
    for (const { operation, offset } of unsafeIn(statement.sql)) {
      const line = lineAt(statement, offset);
      found.push({ line, operation, text: (lines.get(line) ?? '').trim() });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

interface Statement {
  sql: string;
  /** The line number of each character of `sql` (comments and strings blanked, so offsets hold). */
  lineOf: number[];
}

function lineAt(statement: Statement, offset: number): number {
  return statement.lineOf[offset] ?? statement.lineOf[statement.lineOf.length - 1] ?? 0;
}

/** Splits the added lines into statements at `;`, with comments and quoted text blanked out. */
function statements(lines: Map<number, string>): Statement[] {
  const out: Statement[] = [];
  let sql = '';
  let lineOf: number[] = [];
  let inBlock = false;
  let quote: string | undefined;
  let dollar: string | undefined;
  const flush = () => {
    if (sql.trim()) out.push({ sql, lineOf });
    sql = '';
    lineOf = [];
  };
  for (const [n, text] of [...lines].sort((a, b) => a[0] - b[0])) {
    const push = (c: string) => {
      sql += c;
      lineOf.push(n);
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inBlock) {
        if (text.startsWith('*/', i)) {
          inBlock = false;
          i++;
        }
        push(' ');
      } else if (dollar) {
        if (text.startsWith(dollar, i)) {
          i += dollar.length - 1;
          dollar = undefined;
        }
        push(' ');
      } else if (quote) {
        // Identifiers in double quotes are kept (they name what is dropped); string literals are not.
        if (c === quote) quote = undefined;
        push(quote === '"' || c === '"' ? c : ' ');
      } else if (text.startsWith('--', i)) {
        break;
      } else if (text.startsWith('/*', i)) {
        inBlock = true;
        push(' ');
        i++;
      } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(text.slice(i))) {
        dollar = /^\$[A-Za-z_]*\$/.exec(text.slice(i))![0];
        i += dollar.length - 1;
        push(' ');
      } else if (c === "'" || c === '"') {
        quote = c;
        push(c === '"' ? c : ' ');
      } else if (c === ';') {
        flush();
      } else {
        push(c);
      }
    }
    push('\n');
  }
  flush();
  return out;
}

const NAME = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))?`;

/** The unsafe operations of one statement, each with the offset of its keyword. */
function unsafeIn(sql: string): { operation: UnsafeOperation; offset: number }[] {
  const found: { operation: UnsafeOperation; offset: number }[] = [];
  const drop = new RegExp(String.raw`^\s*DROP\s+TABLE\b`, 'i').exec(sql);
  if (drop) return [{ operation: 'DROP TABLE', offset: drop.index + drop[0].search(/DROP/i) }];
  const alter = new RegExp(String.raw`^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}\s*`, 'i').exec(sql);
  if (!alter) return found;
  const start = alter[0].length;
  const rest = sql.slice(start);
  const rename = /^RENAME\s+(?:(TO)\b|(?:COLUMN\s+)?(?!CONSTRAINT\b))/i.exec(rest);
  if (rename) return [{ operation: rename[1] ? 'RENAME TABLE' : 'RENAME COLUMN', offset: start }];
  for (const action of topLevelParts(rest, start)) {
    const a = action.text;
    const at = action.offset + (a.length - a.trimStart().length);
    if (/^\s*DROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b)(?:IF\s+EXISTS\s+)?/i.test(a) && !/^\s*DROP\s+(?:CONSTRAINT|DEFAULT)\b/i.test(a)) found.push({ operation: 'DROP COLUMN', offset: at });
    else if (/^\s*ALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i.test(a)) found.push({ operation: 'ALTER COLUMN TYPE', offset: at });
    else if (/^\s*ALTER\s+(?:COLUMN\s+)?\S+\s+SET\s+NOT\s+NULL\b/i.test(a)) found.push({ operation: 'SET NOT NULL', offset: at });
    else if (/^\s*ADD\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|PRIMARY\b|UNIQUE\b|FOREIGN\b|CHECK\b)/i.test(a) && /\bNOT\s+NULL\b/i.test(a) && !/\bDEFAULT\b/i.test(a) && !/\bGENERATED\b/i.test(a)) {
      found.push({ operation: 'ADD NOT NULL COLUMN WITHOUT DEFAULT', offset: at });
    }
  }
  return found;
}

/** An ALTER TABLE's actions: split at commas outside parentheses. */
function topLevelParts(text: string, base: number): { text: string; offset: number }[] {
  const parts: { text: string; offset: number }[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      parts.push({ text: text.slice(from, i), offset: base + from });
      from = i + 1;
    }
  }
  return parts;
}
