import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('the VSIX', () => {
  it('holds only the bundled code and what the marketplaces and the workbench show, and every file package.json names', function () {
    this.timeout(60_000);
    const listed = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    const walkthrough = ['config', 'deploy', 'release', 'sync', 'view'].map((s) => `media/walkthrough/${s}.md`);
    assert.deepEqual(listed, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', 'dist/extension.js', 'dist/mcp.js', 'media/bluegreen.svg', 'media/icon.png', ...walkthrough, 'package.json', 'schema/bluegreen.schema.json']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      icon: string;
      bin: Record<string, string>;
      contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[]; viewsContainers: { activitybar: { icon: string }[] }; yamlValidation?: { url: string }[] };
    };
    const named = [pkg.main, pkg.icon, ...Object.values(pkg.bin), ...pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? '')), ...pkg.contributes.viewsContainers.activitybar.map((c) => c.icon), ...(pkg.contributes.yamlValidation ?? []).map((v) => v.url)];
    for (const file of named) assert.ok(listed.includes(path.normalize(file)), `package.json names ${file}, which the VSIX lacks`);
  });
});
