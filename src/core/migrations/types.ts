/** What a migration does that the previous release, still running on the shared database, may not survive. */
export type UnsafeOperation = 'DROP TABLE' | 'DROP COLUMN' | 'RENAME TABLE' | 'RENAME COLUMN' | 'ALTER COLUMN TYPE' | 'SET NOT NULL' | 'ADD NOT NULL COLUMN WITHOUT DEFAULT';

export interface UnsafeStatement {
  /** 1-based, in the file at the new commit. */
  line: number;
  operation: UnsafeOperation;
  /** The statement's first line, trimmed, for the dialog. */
  text: string;
}

/** A migration file as the new commit has it: only the lines the change added are judged. */
export interface ChangedMigration {
  path: string;
  /** Whether the file is new in the range (the usual case) rather than edited. */
  added: boolean;
  /** Line number → text, the added lines only. */
  lines: Map<number, string>;
}

export interface MigrationReport {
  /** "squawk 2.66.0" or "the built-in check". */
  checker: string;
  files: { path: string; added: boolean; unsafe: UnsafeStatement[] }[];
  /** Why the comparison could not be made (a commit unknown to STANDBY's repository, say). */
  unavailable?: string;
  /** Why squawk was found but could not be used; the built-in check ran instead. */
  checkerProblem?: string;
}

export function unsafeCount(report: MigrationReport | undefined): number {
  return report?.files.reduce((n, f) => n + f.unsafe.length, 0) ?? 0;
}
