import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfirmPort, ConfirmRequest } from '../../src/core/plan/confirm';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { release } from '../../src/core/workflows/release';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { labConfig, labRunner, publishRelease, readState, resetLab, served } from './helpers';
import { lab } from './setup';
import { redact } from '../../src/core/redact';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const DROP = 'prisma/migrations/20261201000000_drop_email/migration.sql';
const ADD = 'prisma/migrations/20261201000001_add_nickname/migration.sql';
/** PATH without any node_modules/.bin, so squawk is not found: the built-in check runs. */
const PATH_WITHOUT_SQUAWK = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !d.includes('node_modules')).join(path.delimiter);

describe('migration safety against the lab (real git on the slots)', function () {
  this.timeout(180_000);
  let workspace: string;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PATH: PATH_WITHOUT_SQUAWK } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const migrated = () => path.join(lab().hosts.green.home, 'app', '.migrated');

  before(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'bg-migrations-'));
    const yaml = readFileSync(lab().configFile, 'utf8').replace(/(\n(\s+)install: .*\n)/, '$1$2migrate: touch .migrated\n');
    writeFileSync(path.join(workspace, 'bluegreen.yaml'), yaml);
    publishRelease('1.3.0', {
      [DROP]: '-- The old column goes.\nALTER TABLE "User" DROP COLUMN "email";\n',
      [ADD]: 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n',
    });
  });
  after(async function () {
    this.timeout(120_000);
    await resetLab();
  });

  it('deploy --migrate stops before the migrations when one breaks a rollback (exit 3, none ran); --allow-unsafe-migrations runs them', () => {
    let r = cli('deploy', '--ref', 'v1.3.0', '--migrate', '--yes');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${DROP}:2 DROP COLUMN`));
    assert.match(r.stderr, /--allow-unsafe-migrations/);
    assert.equal(existsSync(migrated()), false, 'the migrations ran');
    r = cli('deploy', '--ref', 'v1.3.0', '--migrate', '--allow-unsafe-migrations', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Run the migrations on the database BLUE \(LIVE\) uses\?/);
    assert.match(r.stderr, new RegExp(`Migrations changed \\(2, checked by the built-in check for PostgreSQL, the default\\): ${DROP}, ${ADD}`));
    assert.equal(existsSync(migrated()), true, 'the migrations did not run');
  });

  it('release: the preview names the file and line; the CLI refuses it without --allow-unsafe-migrations (exit 3), switching nothing', async () => {
    const state = readFileSync(lab().stateFile, 'utf8');
    const r = cli('release', '--yes');
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`${DROP}:2 DROP COLUMN — ALTER TABLE "User" DROP COLUMN "email"`));
    assert.doesNotMatch(r.stderr, new RegExp(`${ADD}:\\d`), 'a nullable column added was flagged');
    assert.equal(await served(), 'blue 1.1.0');
    assert.equal(readFileSync(lab().stateFile, 'utf8'), state);
  });

  it('release in the editor: squawk (the workspace has it) flags the same line and the dialog asks for the slot name to be typed', async () => {
    const runner = labRunner();
    const asked: ConfirmRequest[] = [];
    const decline: ConfirmPort = { confirm: async (request) => (asked.push(request), { ok: false }) };
    try {
      // A workspace that has squawk as squawk-cli puts it: node_modules/.bin/squawk.
      const withSquawk = mkdtempSync(path.join(os.tmpdir(), 'bg-squawk-ws-'));
      mkdirSync(path.join(withSquawk, 'node_modules', '.bin'), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules/@squawk-cli/linux-x64/bin/squawk'), path.join(withSquawk, 'node_modules', '.bin', 'squawk'));
      const ctx = { runner, app: labConfig().apps[0], reporter: new RecordingReporter(), confirm: decline, who: redact('tester@lab'), workspace: withSquawk };
      await assert.rejects(release(ctx), (e: unknown) => e instanceof WorkflowError && e.reason === 'declined');
    } finally {
      runner.dispose();
    }
    assert.equal(asked.length, 1);
    assert.equal(asked[0].typeToConfirm, 'GREEN');
    assert.match(asked[0].detail, /checked by squawk 2\.\d+\S* and the built-in check for PostgreSQL, the default/);
    assert.match(asked[0].detail, new RegExp(`${DROP}:2 DROP COLUMN`));
    assert.equal(await served(), 'blue 1.1.0');
  });

  it('release --allow-unsafe-migrations switches, and the history records what was overridden', async () => {
    const r = cli('release', '--allow-unsafe-migrations', '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await served(), 'green 1.3.0');
    const last = (readState().history as { overrode?: string }[]).at(-1);
    assert.match(last?.overrode ?? '', new RegExp(`1 migration statement\\(s\\) that break a rollback \\(the built-in check for PostgreSQL\\): ${DROP}:2 DROP COLUMN`));
  });
});
