import { MigrationsDialect } from '../config/types';
import { codeOf, routineKind, splitStatements, Statement } from './statements';
import { CANNOT_JUDGE, UnsafeOperation, UnsafeStatement } from './types';

/**
 * The built-in check: exactly the operations that break a rollback while both slots share one
 * database, in PostgreSQL or MySQL. Written here because no maintained JavaScript package lints
 * migrations for them; squawk does it better for PostgreSQL and is used when the workspace has it.
 * What it cannot see into (a DO block, a routine's body that changes the schema, SQL built at
 * run time, text it cannot split into statements) is flagged too, for a person to read.
 */
export function builtinCheck(lines: Map<number, string>, dialect: MigrationsDialect): UnsafeStatement[] {
  const found: UnsafeStatement[] = [];
  const flag = (line: number, operation: UnsafeOperation, why?: string) => found.push({ line, operation, text: (lines.get(line) ?? '').trim(), ...(why ? { why } : {}) });
  const { statements, unclosed } = splitStatements(lines, dialect);
  for (const statement of statements) {
    for (const { operation, offset, why } of unsafeIn(statement, dialect)) flag(lineAt(statement, offset), operation, why);
  }
  // The statement it opens in may be flagged already; one finding a line is enough to send a person there.
  if (unclosed && !found.some((u) => u.line === unclosed.line)) flag(unclosed.line, CANNOT_JUDGE, `${unclosed.what} that is not closed`);
  return found.sort((a, b) => a.line - b.line);
}

interface Found {
  operation: UnsafeOperation;
  offset: number;
  why?: string;
}

function lineAt(statement: Statement, offset: number): number {
  return statement.lineOf[offset] ?? statement.lineOf[statement.lineOf.length - 1] ?? 0;
}

/** A name, quoted or not, with its schema (or database) before a dot. */
const NAME = String.raw`(?:"[^"]*"|\x60[^\x60]*\x60|[\w$\u0080-\uffff]+)(?:\s*\.\s*(?:"[^"]*"|\x60[^\x60]*\x60|[\w$\u0080-\uffff]+))*`;
/** What changes the schema, or runs SQL that cannot be read before it runs. */
const SCHEMA_CHANGE = /\b(?:ALTER|DROP|RENAME|EXECUTE|PREPARE)\b/i;

/** The unsafe operations of one statement, each with the offset of its keyword. */
function unsafeIn(statement: Statement, dialect: MigrationsDialect): Found[] {
  const sql = statement.code;
  const start = sql.search(/\S/);
  const at = (operation: UnsafeOperation, why?: string): Found[] => [{ operation, offset: start, why }];
  const routine = routineKind(sql, dialect);
  if (routine) return SCHEMA_CHANGE.test(routineText(statement, dialect)) ? at(CANNOT_JUDGE, `${routine} that changes the schema or runs SQL it builds`) : [];
  if (dialect === 'mysql' && /^\s*PREPARE\b/i.test(sql)) return at(CANNOT_JUDGE, 'SQL built at run time');
  if (/^\s*DROP\s+TABLE\b/i.test(sql)) return at('DROP TABLE');
  if (/^\s*DROP\s+DATABASE\b/i.test(sql)) return at('DROP DATABASE');
  // MySQL's schema is its database; PostgreSQL's drops only an empty one without CASCADE.
  if (/^\s*DROP\s+SCHEMA\b/i.test(sql) && (dialect === 'mysql' || /\bCASCADE\b/i.test(sql))) return at('DROP SCHEMA');
  if (/^\s*RENAME\s+TABLES?\b/i.test(sql)) return at('RENAME TABLE');
  if (!/^\s*ALTER\b/i.test(sql)) return [];
  const table = new RegExp(String.raw`^\s*ALTER\s+(?:ONLINE\s+)?(?:IGNORE\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}(?:\s*\*)?\s*`, 'iy').exec(sql);
  if (!table) {
    if (/^\s*ALTER\s+(?:ONLINE\s+)?(?:IGNORE\s+)?TABLE\b/i.test(sql)) return at(CANNOT_JUDGE, 'an ALTER TABLE it cannot read');
    return /\bSET\s+SCHEMA\b/i.test(sql) ? at('SET SCHEMA') : [];
  }
  const found: Found[] = [];
  for (const action of topLevelParts(sql.slice(table[0].length), table[0].length)) {
    const operation = unsafeAction(action.text.trim());
    if (operation) found.push({ operation, offset: action.offset + action.text.search(/\S|$/) });
  }
  return found;
}

/**
 * A routine's header and body, what the check looks into for changes to the schema. A body in
 * SQL is read as code (its strings and comments are not); one in another language (plpython,
 * plv8), or that does not read as SQL, is taken as written, since its SQL is in its strings.
 */
function routineText(statement: Statement, dialect: MigrationsDialect): string {
  // MySQL's bodies are the statement's own code; PostgreSQL's are quoted, `AS $$ … $$` or `AS '…'`.
  if (dialect === 'mysql') return statement.code;
  const language = /\bLANGUAGE\s+(\w+)/i.exec(statement.code)?.[1] ?? 'plpgsql';
  const bodies = [...statement.dollarQuoted, ...statement.strings].map((body) => (/^(?:sql|plpgsql)$/i.test(language) ? codeOf(body, dialect) : undefined) ?? body);
  return [statement.code, ...bodies].join(' ');
}

/** Words after ADD or DROP that name something other than a column. */
const NOT_A_COLUMN = String.raw`(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|INDEX|KEY|FULLTEXT|SPATIAL|PARTITION|EXCLUDE|DEFAULT|SYSTEM|PERIOD)\b`;

/** One action of an ALTER TABLE, in either dialect (each's syntax is invalid in the other, so one reading serves both). */
function unsafeAction(a: string): UnsafeOperation | undefined {
  const name = (n: string) => n.replace(/^["`]|["`]$/g, '').toLowerCase();
  if (/^DROP\s+COLUMN\b/i.test(a) || new RegExp(String.raw`^DROP\s+(?!${NOT_A_COLUMN})`, 'i').test(a)) return 'DROP COLUMN';
  if (/^RENAME\s+(?:TO|AS)\b/i.test(a)) return 'RENAME TABLE';
  if (/^RENAME\s+COLUMN\b/i.test(a)) return 'RENAME COLUMN';
  if (/^RENAME\s+(?:CONSTRAINT|INDEX|KEY)\b/i.test(a)) return undefined;
  // PostgreSQL's `RENAME old TO new` is a column; MySQL's `RENAME new` is the table.
  if (/^RENAME\b/i.test(a)) return new RegExp(String.raw`^RENAME\s+${NAME}\s+TO\b`, 'i').test(a) ? 'RENAME COLUMN' : 'RENAME TABLE';
  if (/^SET\s+SCHEMA\b/i.test(a)) return 'SET SCHEMA';
  if (new RegExp(String.raw`^ALTER\s+(?:COLUMN\s+)?${NAME}\s+(?:SET\s+DATA\s+)?TYPE\b`, 'i').test(a)) return 'ALTER COLUMN TYPE';
  if (new RegExp(String.raw`^ALTER\s+(?:COLUMN\s+)?${NAME}\s+SET\s+NOT\s+NULL\b`, 'i').test(a)) return 'SET NOT NULL';
  // MySQL's CHANGE and MODIFY restate the whole column: the type it had is not in the migration.
  const change = new RegExp(String.raw`^CHANGE\s+(?:COLUMN\s+)?(${NAME})\s+(${NAME})`, 'i').exec(a);
  if (change && name(change[1]) !== name(change[2])) return 'RENAME COLUMN';
  if (change || /^MODIFY\b/i.test(a)) return /\bNOT\s+NULL\b/i.test(a) ? 'SET NOT NULL' : 'ALTER COLUMN TYPE';
  const add = new RegExp(String.raw`^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!${NOT_A_COLUMN})`, 'i').exec(a);
  if (!add) return undefined;
  const rest = a.slice(add[0].length);
  // MySQL adds several at once as ADD (a …, b …).
  const columns = rest.startsWith('(') ? topLevelParts(rest.slice(1, rest.lastIndexOf(')')), 0).map((p) => p.text) : [rest];
  return columns.some(isRequiredWithoutDefault) ? 'ADD NOT NULL COLUMN WITHOUT DEFAULT' : undefined;
}

/**
 * A column definition the old release's INSERTs cannot leave out: NOT NULL, and no value of its
 * own. Read after the column's name, with quoted names masked: a column named "serial" or
 * `default`, or COLLATE "default", is no default.
 */
function isRequiredWithoutDefault(definition: string): boolean {
  const words = definition.replace(new RegExp(String.raw`^\s*${NAME}`), '').replace(/"[^"]*"|\x60[^\x60]*\x60/g, '""');
  return /\bNOT\s+NULL\b/i.test(words) && !/\b(?:DEFAULT|GENERATED|AUTO_INCREMENT|SERIAL|SMALLSERIAL|BIGSERIAL|SERIAL[248])\b|\bAS\s*\(/i.test(words);
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
