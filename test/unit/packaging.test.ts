import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startOpenVsxStandIn } from './openVsxStandIn';

const ROOT = path.resolve(__dirname, '../../..');
const WALKTHROUGH = ['config', 'deploy', 'release', 'staging', 'sync', 'view'].map((s) => `media/walkthrough/${s}.md`);
const BUNDLED = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', 'dist/extension.js', 'dist/mcp.js', 'media/bluegreen.svg', 'media/icon.png', ...WALKTHROUGH, 'package.json', 'schema/bluegreen.schema.json'];
/** What vsce adds around the extension's own files in every VSIX, and the names it gives the documents. */
const VSIX_FRAME = ['[Content_Types].xml', 'extension.vsixmanifest'];
const VSIX_NAME: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };

describe('the VSIX', () => {
  it('holds only the bundled code and what the marketplaces and the workbench show, and every file package.json names', function () {
    this.timeout(60_000);
    const listed = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(listed, BUNDLED);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      icon: string;
      bin: Record<string, string>;
      contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[]; viewsContainers: { activitybar: { icon: string }[] }; yamlValidation?: { url: string }[] };
    };
    const named = [pkg.main, pkg.icon, ...Object.values(pkg.bin), ...pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? '')), ...pkg.contributes.viewsContainers.activitybar.map((c) => c.icon), ...(pkg.contributes.yamlValidation ?? []).map((v) => v.url)];
    for (const file of named) assert.ok(listed.includes(path.normalize(file)), `package.json names ${file}, which the VSIX lacks`);
  });

  it('is what `ovsx publish` (Open VSX, used by Windsurf and Cursor) packages and uploads: the same files, under 1 MB', async function () {
    this.timeout(120_000);
    const registry = await startOpenVsxStandIn();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/ovsx/bin/ovsx'), 'publish', '--no-dependencies', '--registryUrl', registry.url, '--pat', 'dry-run-token'], { cwd: ROOT, encoding: 'utf8' });
      assert.match(stdout, /Published bluegreen\.blue-green v/);
      assert.equal(registry.uploads.length, 1);
      const [upload] = registry.uploads;
      assert.equal(upload.token, 'dry-run-token');
      assert.deepEqual(upload.files.sort(), [...VSIX_FRAME, ...BUNDLED.map((f) => `extension/${VSIX_NAME[f] ?? f}`)].sort());
      assert.ok(upload.bytes < 1024 * 1024, `the VSIX is ${upload.bytes} bytes`);
    } finally {
      await registry.close();
    }
  });
});
