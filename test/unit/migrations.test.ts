import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinCheck } from '../../src/core/migrations/builtinCheck';
import { parseAddedLines } from '../../src/core/migrations/changed';
import { migrationLines } from '../../src/core/migrations/check';
import { findSquawk, squawkCheck } from '../../src/core/migrations/squawk';
import { ChangedMigration } from '../../src/core/migrations/types';

const ROOT = path.resolve(__dirname, '../../..');
/** squawk's binary, from the optional dependency @squawk-cli/linux-x64 (the machines CI runs on). */
const SQUAWK_BINARY = path.join(ROOT, 'node_modules/@squawk-cli/linux-x64/bin/squawk');

/** The lines of a new file, numbered from 1. */
function file(text: string): Map<number, string> {
  return new Map(text.split('\n').map((l, i) => [i + 1, l]));
}

function ops(sql: string): string[] {
  return builtinCheck(file(sql)).map((u) => `${u.line} ${u.operation}`);
}

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
  'ALTER TABLE "User" ALTER COLUMN "name" DROP DEFAULT;',
  'ALTER TABLE "User" ADD CONSTRAINT "u" UNIQUE ("email");',
  'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
  'DROP INDEX "User_email_idx";',
  '-- ALTER TABLE "User" DROP COLUMN "email";',
  '/* DROP TABLE "Session"; */ SELECT 1;',
  "INSERT INTO notes (text) VALUES ('DROP TABLE x; ALTER TABLE y DROP COLUMN z');",
  'CREATE FUNCTION f() RETURNS void AS $$ BEGIN EXECUTE \'DROP TABLE t\'; END $$ LANGUAGE plpgsql;',
];

describe('migration safety: the built-in check', () => {
  for (const [sql, expected] of UNSAFE) it(`flags ${sql}`, () => assert.deepEqual(ops(sql), [expected]));
  for (const sql of SAFE) it(`passes ${sql}`, () => assert.deepEqual(ops(sql), []));

  it('names the line of each operation in multi-line statements and multi-action ALTER TABLEs', () => {
    const sql = ['-- Prisma', 'ALTER TABLE "User"', '  ADD COLUMN "a" TEXT,', '  DROP COLUMN "b",', '  ADD COLUMN "c" INT NOT NULL;', '', 'DROP TABLE "Old";'].join('\n');
    assert.deepEqual(ops(sql), ['4 DROP COLUMN', '5 ADD NOT NULL COLUMN WITHOUT DEFAULT', '7 DROP TABLE']);
    assert.equal(builtinCheck(file(sql))[0].text, 'DROP COLUMN "b",');
  });

  it('judges only the lines a change added', () => {
    const lines = new Map([[3, 'ALTER TABLE "User" DROP COLUMN "email";']]);
    assert.deepEqual(builtinCheck(lines).map((u) => u.line), [3]);
  });
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

  it('a report says which check ran, each unsafe statement with file:line, or why nothing was checked', () => {
    const report = { checker: 'the built-in check', files: [{ path: 'm/1.sql', added: true, unsafe: [{ line: 2, operation: 'DROP COLUMN' as const, text: 'ALTER TABLE t DROP c;' }] }] };
    assert.deepEqual(migrationLines(report, 'BLUE v1.1.0'), [
      'Migrations changed (1, checked by the built-in check): m/1.sql',
      '⚠ 1 statement(s) break a rollback to BLUE v1.1.0 while both slots share one database:',
      '  m/1.sql:2 DROP COLUMN — ALTER TABLE t DROP c;',
    ]);
    assert.deepEqual(migrationLines({ checker: 'none', files: [], unavailable: 'commit 1a2b3c4 is not in the repository on lab-green' }, 'BLUE'), ['⚠ Migrations not checked: commit 1a2b3c4 is not in the repository on lab-green.']);
  });
});
