import { DialectChoice } from './dialect';

/**
 * What a migration does that the previous release, still running on the shared database, may
 * not survive; or a statement the check cannot see into, which counts the same until a person has read it.
 */
export type UnsafeOperation =
  | 'DROP TABLE'
  | 'DROP COLUMN'
  | 'DROP SCHEMA'
  | 'DROP DATABASE'
  | `DROP ${SchemaObject}`
  | 'RENAME TABLE'
  | 'RENAME COLUMN'
  | `RENAME ${SchemaObject}`
  | 'RENAME ENUM VALUE'
  | 'SET SCHEMA'
  | 'ALTER COLUMN TYPE'
  | 'SET NOT NULL'
  | 'DROP DEFAULT'
  | 'ADD NOT NULL COLUMN WITHOUT DEFAULT'
  | 'ADD CHECK CONSTRAINT'
  | typeof CANNOT_JUDGE;

/** What else than a table the older release's queries name, and break on when it is dropped or renamed. */
export type SchemaObject = 'VIEW' | 'MATERIALIZED VIEW' | 'TYPE' | 'DOMAIN' | 'SEQUENCE' | 'FUNCTION' | 'PROCEDURE';

/** A statement no check could read: it counts as unsafe until a person has. */
export const CANNOT_JUDGE = 'cannot judge, review by hand';

export interface UnsafeStatement {
  /** 1-based, in the file at the new commit. */
  line: number;
  operation: UnsafeOperation;
  /** The statement's first line, trimmed, for the dialog. */
  text: string;
  /** Why the check cannot judge it ("a DO block that changes the schema or runs SQL it builds"). */
  why?: string;
}

/** A migration file as the new commit has it: only the lines the change added are judged. */
export interface ChangedMigration {
  path: string;
  /** Whether the file is new in the range (the usual case) rather than edited. */
  added: boolean;
  /** Line number → text, the added lines only. */
  lines: Map<number, string>;
  /** Why no check can read the added lines (git shows the file as binary, say): a person reads it instead. */
  unreadable?: UnsafeStatement;
}

export interface MigrationReport {
  /** "squawk 2.66.0" or "the built-in check". */
  checker: string;
  /** The SQL the files were read as; absent when none was read. */
  dialect?: DialectChoice;
  files: { path: string; added: boolean; unsafe: UnsafeStatement[] }[];
  /** Why the comparison could not be made (a commit unknown to STANDBY's repository, say). */
  unavailable?: string;
  /** Why squawk was found but could not be used, or the dialect not read; the built-in check, or PostgreSQL, instead. */
  checkerProblem?: string;
  /** Why the built-in check ran although squawk was found (it reads PostgreSQL only). */
  checkerNote?: string;
}

export function unsafeCount(report: MigrationReport | undefined): number {
  return report?.files.reduce((n, f) => n + f.unsafe.length, 0) ?? 0;
}
