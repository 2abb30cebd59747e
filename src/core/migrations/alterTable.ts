import { NAME } from './statements';
import { UnsafeOperation } from './types';

/** The unsafe actions of an ALTER TABLE, from the text after the table's name at `base` in the statement. */
export function unsafeTableActions(actions: string, base: number): { operation: UnsafeOperation; offset: number }[] {
  const found: { operation: UnsafeOperation; offset: number }[] = [];
  for (const action of topLevelParts(actions, base)) {
    const operation = unsafeAction(action.text.trim());
    if (operation) found.push({ operation, offset: action.offset + action.text.search(/\S|$/) });
  }
  return found;
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
  // The older release's INSERTs that leave the column out counted on it: a NOT NULL column refuses them.
  if (new RegExp(String.raw`^ALTER\s+(?:COLUMN\s+)?${NAME}\s+(?:DROP\s+DEFAULT|SET\s+DEFAULT\s+${NULL_VALUE})`, 'i').test(a)) return 'DROP DEFAULT';
  if (isCheckAdded(a)) return 'ADD CHECK CONSTRAINT';
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

/** NULL as a default's value, `NULL`, `(NULL)` or `NULL::text`: no value at all. */
const NULL_VALUE = String.raw`\(*\s*NULL\b`;

/**
 * A column definition the old release's INSERTs cannot leave out: NOT NULL (or PRIMARY KEY,
 * which implies it), and no value of its own (DEFAULT NULL is none). Read after the column's
 * name, with quoted names masked: a column named "serial" or `default`, or COLLATE "default",
 * is no default.
 */
function isRequiredWithoutDefault(definition: string): boolean {
  const words = definition.replace(new RegExp(String.raw`^\s*${NAME}`), '').replace(/"[^"]*"|\x60[^\x60]*\x60/g, '""');
  const required = /\bNOT\s+NULL\b|\bPRIMARY\s+KEY\b/i.test(words);
  const ownValue = new RegExp(String.raw`\bDEFAULT\b(?!\s*${NULL_VALUE})|\b(?:GENERATED|AUTO_INCREMENT|SERIAL|SMALLSERIAL|BIGSERIAL|SERIAL[248])\b|\bAS\s*\(`, 'i');
  return required && !ownValue.test(words);
}

/**
 * A CHECK constraint added to the table: a rule the older release's writes never had to meet.
 * It is how a column is made NOT NULL without a long lock (CHECK (x IS NOT NULL) NOT VALID, then
 * VALIDATE CONSTRAINT, then SET NOT NULL), and breaks the older release the way SET NOT NULL does.
 * The ADD is flagged, NOT VALID or not: NOT VALID spares only the rows already there, and every
 * write is checked from the ADD on. A later VALIDATE CONSTRAINT changes no write's fate, so it
 * is not. MySQL's NOT ENFORCED checks nothing.
 */
function isCheckAdded(action: string): boolean {
  return new RegExp(String.raw`^ADD\s+(?:CONSTRAINT\s+(?:(?!CHECK\b)${NAME}\s+)?)?CHECK\b`, 'i').test(action) && !/\bNOT\s+ENFORCED\b/i.test(action);
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
