import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinCheck } from '../../src/core/migrations/builtinCheck';
import { parseAddedLines } from '../../src/core/migrations/changed';
import { checkMigrations, migrationLines, unsafeLine } from '../../src/core/migrations/check';
import { dialectOfPrismaSchema } from '../../src/core/migrations/dialect';
import { findSquawk, squawkCheck } from '../../src/core/migrations/squawk';
import { ChangedMigration } from '../../src/core/migrations/types';
import { MigrationsDialect } from '../../src/core/config/types';
import { parseConfig } from '../../src/core/config/load';
import { LocalRunner } from './localRunner';

const ROOT = path.resolve(__dirname, '../../..');
/** squawk's binary, from the optional dependency @squawk-cli/linux-x64 (the machines CI runs on). */
const SQUAWK_BINARY = path.join(ROOT, 'node_modules/@squawk-cli/linux-x64/bin/squawk');

/** The lines of a new file, numbered from 1. */
function file(text: string): Map<number, string> {
  return new Map(text.split('\n').map((l, i) => [i + 1, l]));
}

function ops(sql: string, dialect: MigrationsDialect = 'postgres'): string[] {
  return builtinCheck(file(sql), dialect).map((u) => `${u.line} ${u.operation}`);
}

const CANNOT = 'cannot judge, review by hand';

/** PostgreSQL, as Prisma and people write it: what the check flagged before dialects, and flags still. */
const UNSAFE: [string, string][] = [
  ['DROP TABLE "Session";', '1 DROP TABLE'],
  ['ALTER TABLE "User" DROP COLUMN "email";', '1 DROP COLUMN'],
  ['alter table users drop email;', '1 DROP COLUMN'],
  ['ALTER TABLE "User" RENAME COLUMN "email" TO "mail";', '1 RENAME COLUMN'],
  ['ALTER TABLE users RENAME email TO mail;', '1 RENAME COLUMN'],
  ['ALTER TABLE "User" RENAME TO "Person";', '1 RENAME TABLE'],
  ['ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE BIGINT;', '1 ALTER COLUMN TYPE'],
  ['ALTER TABLE public.users ALTER age TYPE bigint USING age::bigint;', '1 ALTER COLUMN TYPE'],
  ['ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;', '1 SET NOT NULL'],
  ['ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;', '1 ADD NOT NULL COLUMN WITHOUT DEFAULT'],
];

const SAFE = [
  'ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0;',
  'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;',
  'ALTER TABLE "User" DROP CONSTRAINT "User_email_key";',
  'ALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;',
  'ALTER TABLE "User" ADD CONSTRAINT "u" UNIQUE ("email");',
  'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
  'DROP INDEX "User_email_idx";',
  '-- ALTER TABLE "User" DROP COLUMN "email";',
  '/* DROP TABLE "Session"; */ SELECT 1;',
  "INSERT INTO notes (text) VALUES ('DROP TABLE x; ALTER TABLE y DROP COLUMN z');",
];

/**
 * What the check missed, or flagged wrongly, before it read SQL by dialect ([sql, dialect,
 * expected]): each case gives another answer on that code. MySQL as Prisma writes it (backticks,
 * MODIFY), and what a review found in both dialects.
 */
const BY_DIALECT: [string, MigrationsDialect, string[]][] = [
  // MySQL: backticks, CHANGE / MODIFY, RENAME TABLE, NOT NULL without a default.
  ['ALTER TABLE `users` DROP COLUMN `email`;', 'mysql', ['1 DROP COLUMN']],
  ['ALTER TABLE `User` CHANGE `email` `mail` VARCHAR(191) NOT NULL;', 'mysql', ['1 RENAME COLUMN']],
  ['ALTER TABLE users CHANGE COLUMN email mail varchar(191) NULL;', 'mysql', ['1 RENAME COLUMN']],
  ['ALTER TABLE `User` CHANGE `age` `age` BIGINT NOT NULL;', 'mysql', ['1 SET NOT NULL']],
  ['ALTER TABLE `User` MODIFY `age` BIGINT NULL;', 'mysql', ['1 ALTER COLUMN TYPE']],
  ['ALTER TABLE `User` MODIFY COLUMN `name` VARCHAR(191) NOT NULL;', 'mysql', ['1 SET NOT NULL']],
  ['RENAME TABLE `Session` TO `UserSession`;', 'mysql', ['1 RENAME TABLE']],
  ['ALTER TABLE users RENAME people;', 'mysql', ['1 RENAME TABLE']],
  ['ALTER TABLE `User` RENAME TO `Person`;', 'mysql', ['1 RENAME TABLE']],
  ['ALTER TABLE `Order` ADD COLUMN `total` DECIMAL(10,2) NOT NULL;', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE `Order` ADD COLUMN (`note` TEXT NULL, `total` INT NOT NULL);', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['DROP SCHEMA shop;', 'mysql', ['1 DROP SCHEMA']],
  ['DROP DATABASE shop;', 'mysql', ['1 DROP DATABASE']],
  // MySQL's comments and strings: what follows them is still read.
  ["INSERT INTO notes VALUES ('it\\'s');\nALTER TABLE t DROP COLUMN c;", 'mysql', ['2 DROP COLUMN']],
  ["# it's gone\nALTER TABLE t DROP COLUMN c;", 'mysql', ['2 DROP COLUMN']],
  ['/*!50503 DROP TABLE users */;', 'mysql', ['1 DROP TABLE']],
  // MySQL: what it cannot see into.
  ['DELIMITER //\nCREATE PROCEDURE cleanup() BEGIN ALTER TABLE users DROP COLUMN email; END //\nDELIMITER ;\nALTER TABLE `users` DROP COLUMN `name`;', 'mysql', [`2 ${CANNOT}`, '4 DROP COLUMN']],
  ['CREATE PROCEDURE cleanup()\nBEGIN\n  IF 1 THEN\n    ALTER TABLE users DROP COLUMN email;\n  END IF;\nEND;\nSELECT 1;', 'mysql', [`1 ${CANNOT}`]],
  ['CREATE DEFINER=`root`@`%` PROCEDURE p()\nBEGIN\n  CASE WHEN 1 THEN SELECT 1; END CASE;\n  DROP TABLE x;\nEND;\nALTER TABLE t DROP COLUMN c;', 'mysql', [`1 ${CANNOT}`, '6 DROP COLUMN']],
  ['CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;', 'mysql', [`1 ${CANNOT}`]],
  ["SET @q = 'ALTER TABLE users DROP COLUMN email';\nPREPARE s FROM @q;\nEXECUTE s;", 'mysql', [`2 ${CANNOT}`]],
  ["SELECT 'a\\';\nDROP TABLE t;", 'mysql', [`1 ${CANNOT}`]],
  // MySQL: flagged before, safe.
  ['ALTER TABLE Post DROP FOREIGN KEY Post_authorId_fkey;', 'mysql', []],
  ['ALTER TABLE users DROP INDEX email_idx;', 'mysql', []],
  ['ALTER TABLE users DROP PRIMARY KEY;', 'mysql', []],
  ['ALTER TABLE users RENAME INDEX a TO b;', 'mysql', []],
  ['ALTER TABLE users ADD COLUMN id INT NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (id);', 'mysql', []],
  // PostgreSQL and both: schemas and databases.
  ['DROP SCHEMA legacy CASCADE;', 'postgres', ['1 DROP SCHEMA']],
  ['DROP DATABASE shop;', 'postgres', ['1 DROP DATABASE']],
  ['ALTER TABLE users SET SCHEMA archive;', 'postgres', ['1 SET SCHEMA']],
  ['ALTER TYPE "Role" SET SCHEMA archive;', 'postgres', ['1 SET SCHEMA']],
  ['ALTER TABLE users SET SCHEMA archive;', 'mysql', ['1 SET SCHEMA']],
  // PostgreSQL: what it cannot see into.
  ['DO $$\nBEGIN\n  ALTER TABLE users DROP COLUMN email;\nEND $$;', 'postgres', [`1 ${CANNOT}`]],
  ["CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN EXECUTE 'DROP TABLE t'; END $fn$;", 'postgres', [`1 ${CANNOT}`]],
  ["CREATE FUNCTION f() RETURNS void LANGUAGE sql AS 'DROP TABLE t';", 'postgres', [`1 ${CANNOT}`]],
  ["ALTER TABLE t ADD COLUMN note text DEFAULT 'it''s;\nDROP TABLE users;", 'postgres', [`1 ${CANNOT}`]],
  ['DO $$ BEGIN\nDROP TABLE users;', 'postgres', [`1 ${CANNOT}`]],
  ['ALTER TABLE [users] DROP COLUMN email;', 'postgres', [`1 ${CANNOT}`]],
  // PostgreSQL's comments, strings and dollar quotes: what follows them is still read.
  ['/* outer /* inner */ still a comment */ DROP TABLE users;', 'postgres', ['1 DROP TABLE']],
  ["SELECT E'it\\'s';\nALTER TABLE t DROP COLUMN c;", 'postgres', ['2 DROP COLUMN']],
  ["SELECT $a1$it's$a1$;\nALTER TABLE t DROP COLUMN c;", 'postgres', ['2 DROP COLUMN']],
  ['ALTER TABLE t ADD COLUMN "a(b" int, DROP COLUMN c;', 'postgres', ['1 DROP COLUMN']],
  // PostgreSQL: flagged before, safe.
  ['ALTER TABLE t ADD COLUMN id SERIAL NOT NULL;', 'postgres', []],
  ['ALTER TABLE "Post" DROP FOREIGN KEY fk;', 'postgres', []],
];

/** What a later review found passing ([sql, dialect, expected]), and what stays safe beside it. */
const REVIEWED: [string, MigrationsDialect, string[]][] = [
  // A NOT NULL column without a default, whose name (or a name after it) is a keyword the check looks for.
  ['ALTER TABLE "Device" ADD COLUMN "serial" TEXT NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE `Device` ADD COLUMN `serial` VARCHAR(191) NOT NULL;', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE "Device" ADD COLUMN "generated" BOOLEAN NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE "Device" ADD COLUMN "default" TEXT NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE device ADD COLUMN serial text NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE `Device` ADD COLUMN (`auto_increment` INT NULL, `default` INT NOT NULL);', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE "Device" ADD COLUMN "note" TEXT COLLATE "default" NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE `Device` ADD COLUMN `rank` INT NOT NULL AFTER `default`;', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  // …and what still has a value of its own.
  ['ALTER TABLE "Device" ADD COLUMN "serial" TEXT NOT NULL DEFAULT \'\';', 'postgres', []],
  ['ALTER TABLE device ADD COLUMN serial serial NOT NULL;', 'postgres', []],
  ['ALTER TABLE "Device" ADD COLUMN "default" INTEGER NOT NULL GENERATED ALWAYS AS IDENTITY;', 'postgres', []],
  ['ALTER TABLE `Device` ADD COLUMN `serial` INT NOT NULL AUTO_INCREMENT;', 'mysql', []],
  ['ALTER TABLE "Device" ADD COLUMN "serial" TEXT;', 'postgres', []],
  // A column the older release's INSERTs leave out, refused: NULL is no default, a primary key is NOT NULL.
  ['ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE `t` ADD COLUMN `x` INT NOT NULL DEFAULT (NULL);', 'mysql', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE t ADD COLUMN x int PRIMARY KEY;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ['ALTER TABLE "User" ALTER COLUMN "name" DROP DEFAULT;', 'postgres', ['1 DROP DEFAULT']],
  ['ALTER TABLE `User` ALTER COLUMN `age` DROP DEFAULT;', 'mysql', ['1 DROP DEFAULT']],
  ['ALTER TABLE users ALTER age SET DEFAULT NULL;', 'postgres', ['1 DROP DEFAULT']],
  ['ALTER TABLE t ADD COLUMN x int DEFAULT NULL;', 'postgres', []],
  ['ALTER TABLE t ADD COLUMN id int PRIMARY KEY GENERATED ALWAYS AS IDENTITY;', 'postgres', []],
  ['ALTER TABLE `t` ADD COLUMN `id` INT AUTO_INCREMENT PRIMARY KEY;', 'mysql', []],
  ['ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id);', 'postgres', []],
  ['ALTER TABLE users ALTER COLUMN age SET DEFAULT 0;', 'postgres', []],
  // A CHECK refuses the older release's writes from its ADD on, NOT VALID or not; a VALIDATE alone changes no write's fate.
  ['ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;', 'postgres', ['1 ADD CHECK CONSTRAINT']],
  ['ALTER TABLE users ADD CHECK (age >= 0);', 'postgres', ['1 ADD CHECK CONSTRAINT']],
  ['ALTER TABLE `users` ADD CONSTRAINT `age_ok` CHECK (`age` >= 0);', 'mysql', ['1 ADD CHECK CONSTRAINT']],
  ['ALTER TABLE users ADD CONSTRAINT CHECK (age >= 0);', 'mysql', ['1 ADD CHECK CONSTRAINT']],
  ['ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;', 'postgres', []],
  ['ALTER TABLE `users` ADD CONSTRAINT `age_ok` CHECK (`age` >= 0) NOT ENFORCED;', 'mysql', []],
  ['ALTER TABLE users ADD COLUMN age int CHECK (age >= 0);', 'postgres', []],
  // Views, types, sequences and routines the older release's queries name.
  ['DROP VIEW "ActiveUsers";', 'postgres', ['1 DROP VIEW']],
  ['DROP VIEW `active_users`;', 'mysql', ['1 DROP VIEW']],
  ['DROP MATERIALIZED VIEW IF EXISTS stats;', 'postgres', ['1 DROP MATERIALIZED VIEW']],
  ['DROP TYPE "Role";', 'postgres', ['1 DROP TYPE']],
  ['DROP DOMAIN email;', 'postgres', ['1 DROP DOMAIN']],
  ['DROP SEQUENCE order_no_seq;', 'postgres', ['1 DROP SEQUENCE']],
  ['DROP FUNCTION IF EXISTS touch();', 'postgres', ['1 DROP FUNCTION']],
  ['DROP PROCEDURE cleanup;', 'mysql', ['1 DROP PROCEDURE']],
  ["ALTER TYPE \"Role\" RENAME VALUE 'USER' TO 'MEMBER';", 'postgres', ['1 RENAME ENUM VALUE']],
  ['ALTER TYPE "Role" RENAME TO "UserRole";', 'postgres', ['1 RENAME TYPE']],
  ['ALTER VIEW active_users RENAME TO current_users;', 'postgres', ['1 RENAME VIEW']],
  ['ALTER VIEW IF EXISTS active_users RENAME COLUMN email TO mail;', 'postgres', ['1 RENAME COLUMN']],
  ['ALTER MATERIALIZED VIEW stats RENAME TO daily_stats;', 'postgres', ['1 RENAME MATERIALIZED VIEW']],
  ['ALTER FUNCTION total(numeric(10,2), int) RENAME TO sum_of;', 'postgres', ['1 RENAME FUNCTION']],
  ['CREATE VIEW active_users AS SELECT * FROM users WHERE active;', 'postgres', []],
  ['CREATE OR REPLACE VIEW `active_users` AS SELECT * FROM `users`;', 'mysql', []],
  ["CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');", 'postgres', []],
  ["ALTER TYPE \"Role\" ADD VALUE 'GUEST';", 'postgres', []],
  ['ALTER SEQUENCE order_no_seq RESTART WITH 100;', 'postgres', []],
  ['ALTER FUNCTION touch() OWNER TO app;', 'postgres', []],
  ['ALTER TABLE users ADD COLUMN nickname text;', 'postgres', []],
  ['DROP INDEX `email_idx` ON `users`;', 'mysql', []],
  // MariaDB runs its own executed comments as MySQL runs /*! … */.
  ['/*M!100100 ALTER TABLE users DROP COLUMN email */', 'mysql', ['1 DROP COLUMN']],
  ['/*M!100100 DROP TABLE users */;\nSELECT 1;', 'mysql', ['1 DROP TABLE']],
  ['/*M DROP TABLE users */ SELECT 1;', 'mysql', []],
];

/** Read the same before and now; here so a change to the reading that breaks them shows. */
const STILL: [string, MigrationsDialect, string[]][] = [
  ['DROP TABLE `Session`;', 'mysql', ['1 DROP TABLE']],
  ['/* the old table */ DROP TABLE users;', 'postgres', ['1 DROP TABLE']],
  ['ALTER TABLE t ADD COLUMN total numeric(10,2) NOT NULL;', 'postgres', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
  ["CREATE FUNCTION f() RETURNS text AS $$ SELECT 'it''s $$ LANGUAGE sql;\nALTER TABLE t DROP COLUMN c;", 'postgres', ['2 DROP COLUMN']],
  ["SELECT 'a\\';\nDROP TABLE t;", 'postgres', ['2 DROP TABLE']],
  ['DROP SCHEMA legacy;', 'postgres', []],
  ["DO $$ BEGIN CREATE TYPE \"Role\" AS ENUM ('USER'); EXCEPTION WHEN duplicate_object THEN null; END $$;", 'postgres', []],
  ['CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW."updatedAt" = now(); RETURN NEW; END $$ LANGUAGE plpgsql;', 'postgres', []],
  ["CREATE FUNCTION f() RETURNS text AS $$ SELECT 'DROP TABLE t' $$ LANGUAGE sql;", 'postgres', []],
  ['CREATE TRIGGER touch BEFORE UPDATE ON "User" FOR EACH ROW EXECUTE FUNCTION touch();', 'postgres', []],
  ['CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW SET NEW.created = NOW();', 'mysql', []],
];

/** Safe in both dialects, as each writes it. */
const SAFE_IN_BOTH: [string, MigrationsDialect][] = [
  ...SAFE.map((sql): [string, MigrationsDialect] => [sql, 'postgres']),
  ['ALTER TABLE `User` ADD COLUMN `nickname` VARCHAR(191) NULL;', 'mysql'],
  ['ALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL DEFAULT 0;', 'mysql'],
  ['CREATE TABLE `Post` (`id` INTEGER NOT NULL AUTO_INCREMENT, `title` VARCHAR(191) NOT NULL, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;', 'mysql'],
  ['CREATE INDEX `Post_title_idx` ON `Post`(`title`);', 'mysql'],
  ['CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");', 'postgres'],
  ["INSERT INTO notes (text) VALUES ('DROP TABLE x; ALTER TABLE y DROP COLUMN z');", 'mysql'],
  ['INSERT INTO notes (text) VALUES ("DROP TABLE x; it\'s");', 'mysql'],
  ['ALTER TABLE `User` ALTER COLUMN `age` SET DEFAULT 0;', 'mysql'],
  ['-- DROP TABLE `Session`;\n# DROP TABLE `Session`;\n/* DROP TABLE `Session`; */ SELECT 1;', 'mysql'],
];

describe('migration safety: the built-in check', () => {
  for (const [sql, expected] of UNSAFE) it(`flags ${sql}`, () => assert.deepEqual(ops(sql), [expected]));
  for (const [sql, dialect, expected] of [...BY_DIALECT, ...REVIEWED, ...STILL]) {
    it(`${dialect}: ${expected.length ? expected.join(', ').replace(/^1 /, '') : 'passes'} — ${sql.replace(/\n/g, '⏎')}`, () => assert.deepEqual(ops(sql, dialect), expected));
  }
  for (const [sql, dialect] of SAFE_IN_BOTH) it(`${dialect}: passes ${sql.replace(/\n/g, '⏎')}`, () => assert.deepEqual(ops(sql, dialect), []));

  it('a block comment before a statement does not hide it: /* the old table */ DROP TABLE users; is flagged', () => {
    assert.deepEqual(ops('/* the old table */ DROP TABLE users;'), ['1 DROP TABLE']);
    assert.deepEqual(ops('/* the old table */ DROP TABLE users;', 'mysql'), ['1 DROP TABLE']);
    assert.deepEqual(ops('SELECT 1; /* a\nb */ ALTER TABLE t DROP COLUMN c;'), ['2 DROP COLUMN']);
  });

  it('a comma inside parentheses does not split an action: ADD COLUMN total numeric(10,2) NOT NULL is flagged', () => {
    assert.deepEqual(ops('ALTER TABLE orders ADD COLUMN total numeric(10,2) NOT NULL;'), ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']);
    assert.deepEqual(ops('ALTER TABLE `orders` ADD COLUMN `total` DECIMAL(10,2) NOT NULL;', 'mysql'), ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']);
  });

  it("an apostrophe inside a dollar-quoted body does not swallow the next statement: a following DROP COLUMN is flagged", () => {
    assert.deepEqual(ops("CREATE FUNCTION f() RETURNS text AS $$ SELECT 'it''s $$ LANGUAGE sql;\nALTER TABLE t DROP COLUMN c;"), ['2 DROP COLUMN']);
    assert.deepEqual(ops("CREATE FUNCTION f() RETURNS text AS $body$ SELECT ' $body$ LANGUAGE sql;\nALTER TABLE t DROP COLUMN c;"), ['2 DROP COLUMN']);
  });

  it('text left open is flagged once, where it opens: a statement already flagged on that line is enough', () => {
    assert.deepEqual(ops("ALTER TABLE t DROP COLUMN c; SELECT 'oops"), ['1 DROP COLUMN']);
    assert.deepEqual(ops("ALTER TABLE t DROP COLUMN c;\nSELECT 'oops"), ['1 DROP COLUMN', `2 ${CANNOT}`]);
  });

  it('keywords are read whatever the white space between them and whatever their case', () => {
    const cases: [string, MigrationsDialect, string][] = [
      ['DROP  TABLE t;', 'postgres', 'DROP TABLE'],
      ['DROP\nDATABASE shop;', 'postgres', 'DROP DATABASE'],
      ['DROP  SCHEMA shop;', 'mysql', 'DROP SCHEMA'],
      ['RENAME  TABLE a TO b;', 'mysql', 'RENAME TABLE'],
      ['ALTER TYPE "Role" SET  SCHEMA archive;', 'postgres', 'SET SCHEMA'],
      ['ALTER VIEW v RENAME  TO w;', 'postgres', 'RENAME VIEW'],
      ["ALTER TYPE \"Role\" RENAME  VALUE 'A' TO 'B';", 'postgres', 'RENAME ENUM VALUE'],
      ['drop view v;', 'postgres', 'DROP VIEW'],
      ["alter type \"Role\" rename value 'A' to 'B';", 'postgres', 'RENAME ENUM VALUE'],
    ];
    for (const [sql, dialect, operation] of cases) assert.deepEqual(ops(sql, dialect), [`1 ${operation}`], sql);
  });

  it('an ALTER TABLE whose table it cannot read is flagged for a person, however it is written', () => {
    for (const sql of ['ALTER TABLE @t ADD COLUMN x int;', 'ALTER  TABLE @t ADD COLUMN x int;', 'SELECT 1; ALTER TABLE @t ADD COLUMN x int;', 'ALTER ONLINE TABLE @t ADD x int;', 'ALTER ONLINE  TABLE @t ADD x int;', 'ALTER IGNORE TABLE @t ADD x int;', 'ALTER IGNORE  TABLE @t ADD x int;']) {
      assert.deepEqual(builtinCheck(file(sql), 'mysql').map((u) => [u.line, u.operation, u.why]), [[1, CANNOT, 'an ALTER TABLE it cannot read']], sql);
    }
  });

  it('a statement after another on the same line is read from its first word', () => {
    assert.deepEqual(ops('SELECT 1; DROP DATABASE shop;'), ['1 DROP DATABASE']);
    assert.deepEqual(builtinCheck(file("SET @q = 'SELECT 1';  PREPARE s FROM @q;"), 'mysql'), [{ line: 1, operation: CANNOT, text: "SET @q = 'SELECT 1';  PREPARE s FROM @q;", why: 'SQL built at run time' }]);
  });

  it('only a statement that begins with the word is that operation: a column or value named like a keyword is not', () => {
    assert.deepEqual(ops('SELECT prepare FROM jobs;', 'mysql'), []);
    assert.deepEqual(ops('PREPARE q AS SELECT 1;', 'postgres'), [], "PostgreSQL's PREPARE runs the SQL written in it");
    assert.deepEqual(ops('SELECT rename tables FROM t;'), []);
    assert.deepEqual(ops("UPDATE settings SET schema = 'v2';"), [], 'SET SCHEMA is read only in an ALTER');
    assert.deepEqual(ops('ALTER FUNCTION f() SET search_path TO rename;'), []);
    // A finding without a reason has none.
    assert.deepEqual(builtinCheck(file('DROP TABLE t;'), 'postgres'), [{ line: 1, operation: 'DROP TABLE', text: 'DROP TABLE t;' }]);
  });

  it("a routine's body is looked into as code where it is SQL, and as written in another language", () => {
    assert.deepEqual(ops("CREATE PROCEDURE p() SELECT 'ALTER TABLE x DROP COLUMN y';", 'mysql'), [], "a MySQL routine's strings are data");
    assert.deepEqual(ops("DO $$ BEGIN RAISE NOTICE 'DROP TABLE t is next'; END $$;"), [], 'a DO block is PL/pgSQL: its strings are data');
    for (const language of ['LANGUAGE plpython3u', 'LANGUAGE  plpython3u']) {
      assert.deepEqual(ops(`CREATE FUNCTION f() RETURNS void AS $$ plpy.execute('DROP TABLE t') $$ ${language};`), [`1 ${CANNOT}`], language);
    }
  });

  it('names the line of each operation in multi-line statements and multi-action ALTER TABLEs', () => {
    const sql = ['-- Prisma', 'ALTER TABLE "User"', '  ADD COLUMN "a" TEXT,', '  DROP COLUMN "b",', '  ADD COLUMN "c" INT NOT NULL;', '', 'DROP TABLE "Old";'].join('\n');
    assert.deepEqual(ops(sql), ['4 DROP COLUMN', '5 ADD NOT NULL COLUMN WITHOUT DEFAULT', '7 DROP TABLE']);
    assert.equal(builtinCheck(file(sql), 'postgres')[0].text, 'DROP COLUMN "b",');
  });

  it('names the line of each operation in MySQL as Prisma writes it', () => {
    const sql = ['-- AlterTable', 'ALTER TABLE `User` DROP COLUMN `email`,', '    ADD COLUMN `nickname` VARCHAR(191) NULL,', '    MODIFY `name` VARCHAR(191) NOT NULL;', '', '-- RenameTable', 'RENAME TABLE `Old` TO `New`;'].join('\n');
    assert.deepEqual(ops(sql, 'mysql'), ['2 DROP COLUMN', '4 SET NOT NULL', '7 RENAME TABLE']);
    assert.equal(builtinCheck(file(sql), 'mysql')[1].text, 'MODIFY `name` VARCHAR(191) NOT NULL;');
  });

  it('says why it cannot judge, at the line the statement starts', () => {
    const found = builtinCheck(file('SELECT 1;\nDO $$\nBEGIN\n  ALTER TABLE users DROP COLUMN email;\nEND $$;'), 'postgres');
    assert.deepEqual(found, [{ line: 2, operation: CANNOT, text: 'DO $$', why: 'a DO block that changes the schema or runs SQL it builds' }]);
    assert.equal(unsafeLine('m.sql', found[0]), 'm.sql:2 cannot judge, review by hand (a DO block that changes the schema or runs SQL it builds) — DO $$');
    assert.deepEqual(builtinCheck(file("SELECT 1;\nSELECT 'never closed;\nDROP TABLE t;"), 'postgres'), [{ line: 2, operation: CANNOT, text: "SELECT 'never closed;", why: 'a string that is not closed' }]);
  });

  it('judges only the lines a change added', () => {
    const lines = new Map([[3, 'ALTER TABLE "User" DROP COLUMN "email";']]);
    assert.deepEqual(builtinCheck(lines, 'postgres').map((u) => u.line), [3]);
  });
});

describe('migration safety: the dialect prisma/schema.prisma names', () => {
  const cases: [string, MigrationsDialect | undefined][] = [
    ['datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}', 'mysql'],
    ['datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}', 'postgres'],
    ['datasource db {\n  // provider = "mysql"\n  provider = "cockroachdb"\n  url = "mysql://x"\n}', 'postgres'],
    ['generator client {\n  provider = "prisma-client-js"\n}\n', undefined],
    ['', undefined],
  ];
  for (const [schema, expected] of cases) it(`${expected ?? 'none'} from ${JSON.stringify(schema.slice(0, 40))}`, () => assert.equal(dialectOfPrismaSchema(schema), expected));
});

describe('migration safety: the files a git diff added', () => {
  it('reads each file, whether it is new, and its added lines with their numbers', () => {
    const diff = [
      'diff --git a/prisma/migrations/1_init/migration.sql b/prisma/migrations/1_init/migration.sql',
      'new file mode 100644',
      'index 0000000..e69de29',
      '--- /dev/null',
      '+++ b/prisma/migrations/1_init/migration.sql',
      '@@ -0,0 +1,2 @@',
      '+CREATE TABLE a (id int);',
      '++++ a line that starts with +++',
      'diff --git a/migrations/x/2 b.sql b/migrations/x/2 b.sql',
      'index 1111111..2222222 100644',
      '--- a/migrations/x/2 b.sql\t',
      '+++ b/migrations/x/2 b.sql\t',
      '@@ -3 +3,2 @@ CREATE TABLE a (id int);',
      '-ALTER TABLE a ADD b int;',
      '+ALTER TABLE a ADD b bigint;',
      '+ALTER TABLE a DROP c;',
      '@@ -9,0 +11 @@',
      '+SELECT 1;',
      '\\ No newline at end of file',
    ].join('\n');
    const files = parseAddedLines(diff);
    assert.deepEqual(
      files.map((f) => [f.path, f.added, [...f.lines]]),
      [
        ['prisma/migrations/1_init/migration.sql', true, [[1, 'CREATE TABLE a (id int);'], [2, '+++ a line that starts with +++']]],
        ['migrations/x/2 b.sql', false, [[3, 'ALTER TABLE a ADD b bigint;'], [4, 'ALTER TABLE a DROP c;'], [11, 'SELECT 1;']]],
      ],
    );
  });
});

describe('migration safety: a file whose added lines cannot be read is for a person to read', () => {
  const BINARY = 'git shows it as binary, so its added lines cannot be read';
  const cases: { name: string; diff: string[]; expected: [string, boolean, string | undefined][] }[] = [
    {
      name: 'a new file git shows as binary',
      diff: ['diff --git a/m/1.sql b/m/1.sql', 'new file mode 100644', 'index 0000000..1111111', 'Binary files /dev/null and b/m/1.sql differ'],
      expected: [['m/1.sql', true, BINARY]],
    },
    {
      name: 'an edited one, its name with spaces',
      diff: ['diff --git a/m/2 b.sql b/m/2 b.sql', 'index 1111111..2222222 100644', 'Binary files a/m/2 b.sql and b/m/2 b.sql differ'],
      expected: [['m/2 b.sql', false, BINARY]],
    },
    {
      name: "--binary's patch",
      diff: ['diff --git a/m/3.sql b/m/3.sql', 'index 1111111..2222222 100644', 'GIT binary patch', 'literal 12', 'TcmZQzWMXDwWMXDwWMXDw0096', '', 'literal 0', 'HcmV?d00001'],
      expected: [['m/3.sql', false, BINARY]],
    },
    {
      name: 'UTF-16 shown by --text',
      diff: ['diff --git a/m/4.sql b/m/4.sql', 'new file mode 100644', '--- /dev/null', '+++ b/m/4.sql', '@@ -0,0 +1 @@', '+\ufeffD\0R\0O\0P\0 \0T\0A\0B\0L\0E\0 \0t\0;\0'],
      expected: [['m/4.sql', true, 'it is not UTF-8 text (UTF-16, or binary), so its added lines cannot be read']],
    },
    {
      name: 'a Git LFS pointer',
      diff: ['diff --git a/m/5.sql b/m/5.sql', 'new file mode 100644', '--- /dev/null', '+++ b/m/5.sql', '@@ -0,0 +1,3 @@', '+version https://lfs.invalid/spec/v1', `+oid sha256:${'a'.repeat(64)}`, '+size 120'],
      expected: [['m/5.sql', true, 'it is a Git LFS pointer, not the SQL']],
    },
    {
      name: 'SQL beside them, read as before',
      diff: ['diff --git a/m/6.sql b/m/6.sql', 'new file mode 100644', '--- /dev/null', '+++ b/m/6.sql', '@@ -0,0 +1 @@', '+-- version 2 of the spec/v1 table', '+SELECT 1;'],
      expected: [['m/6.sql', true, undefined]],
    },
  ];
  for (const { name, diff, expected } of cases) {
    it(name, () => assert.deepEqual(parseAddedLines(diff.join('\n')).map((f) => [f.path, f.added, f.unreadable?.why]), expected));
  }

  describe('read from a repository', () => {
    const { git, commit, check } = scratchRepository();
    const DROP = 'SELECT 1;\nALTER TABLE "User" DROP COLUMN "email";\n';
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const rows: { name: string; attributes?: string; gitConfig?: [string, string]; before?: Record<string, string>; after: Record<string, string | Buffer>; found: string[] }[] = [
      { name: 'a `-diff` attribute', attributes: '*.sql -diff\n', after: { 'migrations/2.sql': DROP }, found: ['migrations/2.sql:2 DROP COLUMN'] },
      { name: 'a `binary` attribute, the file edited', attributes: '*.sql binary\n', before: { 'migrations/2.sql': 'SELECT 1;\n' }, after: { 'migrations/2.sql': DROP }, found: ['migrations/2.sql:2 DROP COLUMN'] },
      { name: "a textconv filter that changes what is shown", attributes: '*.sql diff=hide\n', gitConfig: ['diff.hide.textconv', 'sed s/DROP/KEEP/'], after: { 'migrations/2.sql': DROP }, found: ['migrations/2.sql:2 DROP COLUMN'] },
      { name: 'UTF-16, which git takes for binary', after: { 'migrations/2.sql': utf16(DROP) }, found: [`migrations/2.sql:1 ${CANNOT}`] },
      { name: 'a Git LFS pointer', after: { 'migrations/2.sql': `version https://lfs.invalid/spec/v1\noid sha256:${'b'.repeat(64)}\nsize 42\n` }, found: [`migrations/2.sql:1 ${CANNOT}`] },
    ];
    for (const row of rows) {
      it(`${row.name}: ${row.found.join(', ')}`, async () => {
        if (row.gitConfig) git('config', ...row.gitConfig);
        const from = commit({ 'migrations/1.sql': 'SELECT 1;\n', ...(row.attributes ? { '.gitattributes': row.attributes } : {}), ...row.before });
        const to = commit(row.after);
        const report = await check(from, to);
        assert.deepEqual(report.files.flatMap((f) => f.unsafe.map((u) => `${f.path}:${u.line} ${u.operation}`)), row.found);
      });
    }
  });
});

describe('migration safety: squawk, when the workspace has it', () => {
  it("is found in node_modules/.bin from the app's folder up to the config's, never above it, then in PATH's absolute folders", () => {
    const top = mkdtempSync(path.join(os.tmpdir(), 'bg-squawk-'));
    const config = path.join(top, 'repo');
    const app = path.join(config, 'services', 'shop');
    mkdirSync(app, { recursive: true });
    const plant = (dir: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'squawk'), '');
      return path.join(dir, 'squawk');
    };
    plant(path.join(top, 'node_modules', '.bin'));
    assert.equal(findSquawk(config, app, ''), undefined, 'found above the folder of bluegreen.yaml');
    const onPath = plant(path.join(top, 'bin'));
    assert.equal(findSquawk(config, app, path.relative(process.cwd(), path.join(top, 'bin'))), undefined, 'found through a relative PATH folder');
    assert.equal(findSquawk(config, app, path.join(top, 'bin')), onPath);
    const inConfig = plant(path.join(config, 'node_modules', '.bin'));
    assert.equal(findSquawk(config, app, path.join(top, 'bin')), inConfig);
    assert.equal(findSquawk(config, top, ''), inConfig, 'an app folder outside the config folder is not walked');
    const inApp = plant(path.join(app, 'node_modules', '.bin'));
    assert.equal(findSquawk(config, app, ''), inApp);
  });

  it('flags the same operations as the built-in check, on the added lines only, with the file\'s line numbers', async function () {
    this.timeout(30_000);
    const squawk = SQUAWK_BINARY;
    assert.ok(existsSync(squawk), `${squawk} is missing: npm ci installs it on linux-x64 (optionalDependencies)`);
    const changed: ChangedMigration[] = [
      { path: 'a.sql', added: true, lines: file(UNSAFE.map(([sql]) => sql).join('\n')) },
      { path: 'b.sql', added: true, lines: file(SAFE.slice(0, 3).join('\n')) },
      { path: 'c.sql', added: false, lines: new Map([[7, 'ALTER TABLE "User" DROP COLUMN "email";']]) },
    ];
    const found = await squawkCheck(squawk, changed);
    assert.match(found.version, /^squawk \d+\.\d+/);
    assert.deepEqual(found.unsafe[0].map((u) => `${u.line} ${u.operation}`), UNSAFE.map(([, e], i) => e.replace(/^1 /, `${i + 1} `)));
    assert.deepEqual(found.unsafe[1], []);
    assert.deepEqual(found.unsafe[2].map((u) => `${u.line} ${u.operation} ${u.text}`), ['7 DROP COLUMN ALTER TABLE "User" DROP COLUMN "email";']);
  });

  it("what squawk cannot parse (MySQL's backticks, read as PostgreSQL) it cannot judge, once a line, and it judges nothing else in that file", async function () {
    this.timeout(30_000);
    assert.ok(existsSync(SQUAWK_BINARY), `${SQUAWK_BINARY} is missing: npm ci installs it on linux-x64 (optionalDependencies)`);
    const changed: ChangedMigration[] = [{ path: 'a.sql', added: false, lines: new Map([[2, 'DROP DATABASE shop;'], [3, 'ALTER TABLE `users` DROP COLUMN `email`;']]) }];
    const found = await squawkCheck(SQUAWK_BINARY, changed);
    assert.deepEqual(found.unsafe[0], [{ line: 3, operation: CANNOT, text: 'ALTER TABLE `users` DROP COLUMN `email`;', why: 'squawk cannot parse it' }]);
    const parsed = await squawkCheck(SQUAWK_BINARY, [{ ...changed[0], lines: new Map([[2, 'DROP DATABASE shop;']]) }]);
    assert.deepEqual(parsed.unsafe[0], [{ line: 2, operation: 'DROP DATABASE', text: 'DROP DATABASE shop;' }]);
  });

  it('a report says which check ran, on which SQL and why, each unsafe statement with file:line, or why nothing was checked', () => {
    const unsafe = [{ line: 2, operation: 'DROP COLUMN' as const, text: 'ALTER TABLE t DROP c;' }];
    const report = { checker: 'the built-in check', dialect: { dialect: 'postgres' as const }, files: [{ path: 'm/1.sql', added: true, unsafe }] };
    assert.deepEqual(migrationLines(report, 'BLUE v1.1.0'), [
      'Migrations changed (1, checked by the built-in check for PostgreSQL, the default): m/1.sql',
      '⚠ 1 statement(s) break a rollback to BLUE v1.1.0 while both slots share one database:',
      '  m/1.sql:2 DROP COLUMN — ALTER TABLE t DROP c;',
    ]);
    const mysql = { ...report, dialect: { dialect: 'mysql' as const, from: 'prisma/schema.prisma' as const }, checkerNote: 'squawk reads PostgreSQL only' };
    assert.equal(migrationLines(mysql, 'BLUE')[0], 'Migrations changed (1, checked by the built-in check for MySQL, as prisma/schema.prisma says; squawk reads PostgreSQL only): m/1.sql');
    const configured = { ...report, checker: 'squawk 2.66.0', dialect: { dialect: 'postgres' as const, from: 'deploy.migrationsDialect' as const } };
    assert.equal(migrationLines(configured, 'BLUE')[0], 'Migrations changed (1, checked by squawk 2.66.0 for PostgreSQL, as deploy.migrationsDialect says): m/1.sql');
    assert.deepEqual(migrationLines({ checker: 'none', files: [], unavailable: 'commit 1a2b3c4 is not in the repository on lab-green' }, 'BLUE'), ['⚠ Migrations not checked: commit 1a2b3c4 is not in the repository on lab-green.']);
  });
});

/**
 * A scratch repository the slot's checkout is, a workspace beside it, and checkMigrations on the
 * two through a local shell: each test of the block gets new ones.
 */
function scratchRepository() {
  const scratch = {} as { repo: string; workspace: string; runner: LocalRunner };
  const path0 = process.env.PATH;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@bluegreen.invalid', ...args], { cwd: scratch.repo }).toString().trim();
  const commit = (files: Record<string, string | Buffer>) => {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(scratch.repo, f)), { recursive: true });
      writeFileSync(path.join(scratch.repo, f), text);
    }
    git('add', '-A');
    git('commit', '-qm', 'c');
    return git('rev-parse', 'HEAD');
  };
  const check = (from: string, to: string, dialect?: MigrationsDialect) => {
    const app = parseConfig(readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8'), path.join(scratch.workspace, 'bluegreen.yaml')).apps[0];
    app.slots.green.servers[0].dir = scratch.repo;
    app.deploy.migrationsDialect = dialect;
    return checkMigrations({ runner: scratch.runner, app, repoSlot: 'green', from, to, workspace: scratch.workspace });
  };
  beforeEach(() => {
    scratch.repo = mkdtempSync(path.join(os.tmpdir(), 'bg-dialect-repo-'));
    scratch.workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-dialect-ws-'));
    scratch.runner = new LocalRunner();
    git('init', '-q');
    // No squawk but the one a test puts in the workspace.
    process.env.PATH = (path0 ?? '').split(path.delimiter).filter((d) => !existsSync(path.join(d, 'squawk'))).join(path.delimiter);
  });
  afterEach(() => {
    process.env.PATH = path0;
    scratch.runner.dispose();
    for (const dir of [scratch.repo, scratch.workspace]) rmSync(dir, { recursive: true, force: true });
  });
  return { scratch, git, commit, check };
}

describe('migration safety: the dialect, chosen from the config, else prisma/schema.prisma at STANDBY\'s commit', () => {
  const { scratch, git, commit, check } = scratchRepository();
  const MYSQL_SCHEMA = 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n';
  const DROP = 'prisma/migrations/2_drop/migration.sql';

  it('MySQL when the schema at the newer commit says so: backticks read, squawk (PostgreSQL only) not used, and the report says both', async () => {
    const from = commit({ 'prisma/migrations/1_init/migration.sql': 'CREATE TABLE `User` (`id` INT NOT NULL, `email` VARCHAR(191) NULL);\n' });
    const to = commit({ 'prisma/schema.prisma': MYSQL_SCHEMA, [DROP]: '-- AlterTable\nALTER TABLE `User` DROP COLUMN `email`;\n' });
    mkdirSync(path.join(scratch.workspace, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(path.join(scratch.workspace, 'node_modules', '.bin', 'squawk'), '#!/bin/sh\nexit 2\n', { mode: 0o755 });
    const report = await check(from, to);
    assert.deepEqual(report.dialect, { dialect: 'mysql', from: 'prisma/schema.prisma' });
    assert.equal(report.checker, 'the built-in check');
    assert.equal(report.checkerProblem, undefined);
    assert.deepEqual(report.files.map((f) => f.unsafe.map((u) => unsafeLine(f.path, u))), [[`${DROP}:2 DROP COLUMN — ALTER TABLE \`User\` DROP COLUMN \`email\`;`]]);
    assert.equal(migrationLines(report, 'BLUE')[0], `Migrations changed (1, checked by the built-in check for MySQL, as prisma/schema.prisma says; squawk reads PostgreSQL only): ${DROP}`);
  });

  it('PostgreSQL with squawk in the workspace: squawk, and the built-in check for what squawk has no rule for (a schema dropped or moved, a DO block) or cannot parse', async function () {
    this.timeout(30_000);
    const from = commit({ 'migrations/1.sql': 'SELECT 1;\n' });
    const to = commit({
      'migrations/2.sql': 'ALTER TABLE "User" DROP COLUMN "email";\nDROP SCHEMA legacy CASCADE;\nDO $$\nBEGIN\n  ALTER TABLE users RENAME TO people;\nEND $$;\nALTER TABLE users SET SCHEMA archive;\n',
      'migrations/3.sql': 'ALTER TABLE `a` ADD `b` INT;\nALTER TABLE t DROP COLUMN c;\n',
    });
    mkdirSync(path.join(scratch.workspace, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(SQUAWK_BINARY, path.join(scratch.workspace, 'node_modules', '.bin', 'squawk'));
    const report = await check(from, to);
    assert.match(report.checker, /^squawk 2\.\d+\S* and the built-in check$/);
    assert.deepEqual(report.files[0].unsafe.map((u) => `${u.line} ${u.operation}`), ['1 DROP COLUMN', '2 DROP SCHEMA', `3 ${CANNOT}`, '7 SET SCHEMA']);
    // squawk judges nothing else in a file it cannot parse; the built-in check does.
    assert.deepEqual(report.files[1].unsafe.map((u) => `${u.line} ${u.operation}`), [`1 ${CANNOT}`, '2 DROP COLUMN']);
    assert.match(migrationLines(report, 'BLUE')[0], /^Migrations changed \(2, checked by squawk 2\.\d+\S* and the built-in check for PostgreSQL, the default\): migrations\/2\.sql, migrations\/3\.sql$/);
  });

  const besideSquawk: [string, string[]][] = [
    // squawk has a rule for these but does not see them: NULL is no default, a primary key is NOT NULL.
    ['ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT NULL;', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
    ['SELECT 1;\nALTER TABLE t ADD COLUMN x int PRIMARY KEY;', ['2 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
    // Both see these: one finding each.
    ['ALTER TABLE "Device" ADD COLUMN "serial" TEXT NOT NULL;', ['1 ADD NOT NULL COLUMN WITHOUT DEFAULT']],
    ['-- Prisma\nALTER TABLE "User"\n  ADD COLUMN "a" TEXT,\n  DROP COLUMN "b",\n  ADD COLUMN "c" INT NOT NULL;\n\nDROP TABLE "Old";', ['4 DROP COLUMN', '5 ADD NOT NULL COLUMN WITHOUT DEFAULT', '7 DROP TABLE']],
    ['ALTER TABLE users ALTER COLUMN name SET NOT NULL;', ['1 SET NOT NULL']],
  ];
  for (const [sql, expected] of besideSquawk) {
    it(`with squawk, what either check flags counts, once: ${expected.join(', ')} — ${sql.replace(/\n/g, '⏎')}`, async function () {
      this.timeout(30_000);
      const from = commit({ 'migrations/1.sql': 'SELECT 1;\n' });
      const to = commit({ 'migrations/2.sql': `${sql}\n` });
      mkdirSync(path.join(scratch.workspace, 'node_modules', '.bin'), { recursive: true });
      symlinkSync(SQUAWK_BINARY, path.join(scratch.workspace, 'node_modules', '.bin', 'squawk'));
      const report = await check(from, to);
      assert.match(report.checker, /^squawk /);
      assert.deepEqual(report.files[0].unsafe.map((u) => `${u.line} ${u.operation}`), expected);
    });
  }

  it('the config over the schema; PostgreSQL, the default, without either; the schema of the older commit does not count', async () => {
    const from = commit({ 'prisma/schema.prisma': MYSQL_SCHEMA, 'migrations/1.sql': 'SELECT 1;\n' });
    git('rm', '-q', 'prisma/schema.prisma');
    const to = commit({ 'migrations/2.sql': 'DROP SCHEMA legacy;\n' });
    assert.deepEqual((await check(from, to)).dialect, { dialect: 'postgres' });
    assert.deepEqual((await check(from, to)).files[0].unsafe, []);
    const configured = await check(from, to, 'mysql');
    assert.deepEqual(configured.dialect, { dialect: 'mysql', from: 'deploy.migrationsDialect' });
    assert.deepEqual(configured.files[0].unsafe.map((u) => u.operation), ['DROP SCHEMA']);
  });
});
