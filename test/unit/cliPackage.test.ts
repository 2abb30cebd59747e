import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const STAGE = path.join(ROOT, 'out', 'cli-package');
/** What the CLI and `bluegreen mcp` need at run time, and what the registry page shows: nothing of the extension. */
const CLI_FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', 'dist/mcp.js', 'package.json', 'schema/bluegreen.schema.json'];

function packCli(...args: string[]): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('the CLI package (npm run pack:cli)', () => {
  it('packs only the CLI, the MCP server, the schema and the documents, with no dependencies to install', function () {
    this.timeout(60_000);
    packCli('--dir-only');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: STAGE, encoding: 'utf8' })) as { files: { path: string }[] }[];
    assert.deepEqual(packed.files.map((f) => f.path).sort(), CLI_FILES);
    const pkg = JSON.parse(readFileSync(path.join(STAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(pkg.bin, { bluegreen: './dist/cli.js' });
    assert.equal(pkg.dependencies, undefined);
    assert.equal(pkg.main, undefined);
  });

  it('installs from its tarball into an empty folder with a fresh HOME and no network, and runs --help and validate there', function () {
    this.timeout(120_000);
    const tarball = packCli();
    const work = mkdtempSync(path.join(os.tmpdir(), 'bg-cli-install-'));
    try {
      const home = path.join(work, 'home');
      mkdirSync(home);
      const env = { PATH: process.env.PATH ?? '', HOME: home, npm_config_cache: path.join(home, '.npm'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
      execFileSync('npm', ['install', '--prefix', path.join(work, 'app'), tarball], { cwd: work, env, stdio: 'pipe' });
      const bluegreen = path.join(work, 'app', 'node_modules', '.bin', 'bluegreen');
      const help = spawnSync(bluegreen, ['--help'], { cwd: work, env, encoding: 'utf8' });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /^usage: bluegreen /);
      assert.match(help.stdout, /\n {2}mcp\b/);
      copyFileSync(path.join(ROOT, 'test/unit/fixtures/valid.yaml'), path.join(work, 'bluegreen.yaml'));
      const valid = spawnSync(bluegreen, ['validate'], { cwd: work, env, encoding: 'utf8' });
      assert.equal(valid.status, 0, valid.stderr);
      assert.match(valid.stdout, /bluegreen\.yaml: ok \(demo\)/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
