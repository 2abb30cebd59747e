import { MigrationsDialect } from '../config/types';

/** Where Prisma keeps its schema by default; its datasource names the database the migrations are for. */
export const PRISMA_SCHEMA = 'prisma/schema.prisma';

/** The dialect the migrations were judged in, and who said so (nobody: the default). */
export interface DialectChoice {
  dialect: MigrationsDialect;
  from?: 'deploy.migrationsDialect' | typeof PRISMA_SCHEMA;
}

export const DIALECT_NAMES: Record<MigrationsDialect, string> = { postgres: 'PostgreSQL', mysql: 'MySQL' };

/**
 * The dialect a Prisma schema's datasource names (`provider = "mysql"`), from its datasource
 * blocks; undefined when it names none. Every provider but MySQL is read as PostgreSQL, the
 * default (CockroachDB speaks it; SQLite and SQL Server have no check of their own).
 */
export function dialectOfPrismaSchema(schema: string): MigrationsDialect | undefined {
  const withoutComments = schema.replace(/\/\/.*$/gm, '');
  for (const block of withoutComments.matchAll(/\bdatasource\s+\w+\s*\{([^}]*)\}/g)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(block[1])?.[1];
    if (provider) return provider === 'mysql' ? 'mysql' : 'postgres';
  }
  return undefined;
}
