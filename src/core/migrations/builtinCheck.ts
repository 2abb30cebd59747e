import { MigrationsDialect } from '../config/types';
import { unsafeTableActions } from './alterTable';
import { codeOf, NAME, routineKind, splitStatements, Statement } from './statements';
import { CANNOT_JUDGE, SchemaObject, UnsafeOperation, UnsafeStatement } from './types';

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
  const dropped = new RegExp(String.raw`^\s*DROP\s+(${OBJECT})\b`, 'i').exec(sql);
  if (dropped) return at(`DROP ${objectOf(dropped[1])}`);
  if (/^\s*RENAME\s+TABLES?\b/i.test(sql)) return at('RENAME TABLE');
  if (!/^\s*ALTER\b/i.test(sql)) return [];
  const table = new RegExp(String.raw`^\s*ALTER\s+(?:ONLINE\s+)?(?:IGNORE\s+)?TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}(?:\s*\*)?\s*`, 'iy').exec(sql);
  if (table) return unsafeTableActions(sql.slice(table[0].length), table[0].length);
  if (/^\s*ALTER\s+(?:ONLINE\s+)?(?:IGNORE\s+)?TABLE\b/i.test(sql)) return at(CANNOT_JUDGE, 'an ALTER TABLE it cannot read');
  const altered = new RegExp(String.raw`^\s*ALTER\s+(${OBJECT})\s+(?:IF\s+EXISTS\s+)?${NAME}\s*(?:${ARGUMENTS}\s*)?`, 'iy').exec(sql);
  const renamed = altered && renaming(sql.slice(altered[0].length), objectOf(altered[1]));
  if (renamed) return at(renamed);
  return /\bSET\s+SCHEMA\b/i.test(sql) ? at('SET SCHEMA') : [];
}

/** The objects other than tables whose DROP or RENAME breaks the older release (types.ts says why). */
const OBJECT = String.raw`MATERIALIZED\s+VIEW|VIEW|TYPE|DOMAIN|SEQUENCE|FUNCTION|PROCEDURE`;
/** A routine's argument types, `(numeric(10,2), text)`: one level of parentheses inside. */
const ARGUMENTS = String.raw`\((?:[^()]|\([^()]*\))*\)`;

function objectOf(words: string): SchemaObject {
  return words.toUpperCase().replace(/\s+/g, ' ') as SchemaObject;
}

/**
 * What an ALTER of a view, type… renames, from the words after its name: itself (RENAME TO),
 * an enum's value (the older release writes the old one), or a view's or type's column.
 */
function renaming(action: string, object: SchemaObject): UnsafeOperation | undefined {
  if (/^RENAME\s+TO\b/i.test(action)) return `RENAME ${object}`;
  if (/^RENAME\s+VALUE\b/i.test(action)) return 'RENAME ENUM VALUE';
  if (/^RENAME\b/i.test(action)) return 'RENAME COLUMN';
  return undefined;
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
