import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { allowedCommandsFile } from '../../src/core/agent/allowedCommands';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, until } from './extensionHost';

const CLI = path.join(__dirname, '../../../dist/cli.js');

/** The app's Staging row and its three stages, as the tree shows them. */
async function stagingRows(): Promise<{ row: vscode.TreeItem; stages: vscode.TreeItem[] }> {
  const { tree } = await api();
  const [appNode] = tree.getChildren();
  const node = tree.getChildren(appNode).find((n) => String(tree.getTreeItem(n).contextValue).startsWith('pipeline:'));
  assert.ok(node, `no Staging row: ${tree.getChildren(appNode).map((n) => String(tree.getTreeItem(n).label)).join(', ')}`);
  return { row: tree.getTreeItem(node), stages: tree.getChildren(node).map((n) => tree.getTreeItem(n)) };
}

describe('staging in a real VS Code extension host', () => {
  it('the Staging row says what staging runs, its verdict, then STANDBY and LIVE; Deploy to Staging runs develop there and offers Promote to STANDBY', async function () {
    this.timeout(180_000);
    const { confirmSeam, notifications, outputLines, contextKeys } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    assert.equal(contextKeys.get('bluegreen.hasStaging'), true);
    const before = await stagingRows();
    assert.equal(before.row.label, 'Staging');
    assert.equal(before.row.description, 'never deployed');
    assert.deepEqual(before.stages.map((s) => String(s.label).split(' ')[0]), ['Staging', 'STANDBY', 'LIVE']);

    confirmSeam.answer = () => ({ ok: true });
    const shown = notifications.length;
    try {
      const ok = await vscode.commands.executeCommand<boolean>('bluegreen.deployToStaging', { app: { name: 'demo' } });
      assert.equal(ok, true, outputLines.slice(-20).join('\n'));
    } finally {
      confirmSeam.answer = undefined;
    }
    assert.match(confirmSeam.asked.at(-1)!.title, /staging/i);
    const result = notifications.slice(shown).find((n) => n.level === 'info');
    assert.ok(result, JSON.stringify(notifications.slice(shown)));
    assert.match(result.message, /Staging runs v1\.3\.0 [0-9a-f]{7} \(develop\): passed/);
    assert.deepEqual(result.buttons, ['Promote to STANDBY', 'Show Output']);

    await vscode.commands.executeCommand('bluegreen.refresh');
    const after = await stagingRows();
    assert.equal(after.row.label, 'Staging v1.3.0');
    // develop is a release ahead of both slots: its commit is still to be promoted.
    assert.equal(after.row.description, 'passed · to promote');
    assert.match(String((after.row.tooltip as vscode.MarkdownString).value), /v1\.3\.0 passed → STANDBY v\S+ → LIVE v\S+/);
    assert.equal(after.row.contextValue, 'pipeline:passed');
    assert.match(String(after.stages[0].description), /^passed · [0-9a-f]{7}$/);
    // This window's own deploy was told by its result; the refresh after it tells nothing more.
    assert.equal(notifications.slice(shown).filter((n) => /ready for production/.test(n.message)).length, 0, JSON.stringify(notifications.slice(shown)));
  });

  it('a deploy to staging from elsewhere (the CLI, a CI job) shows as a notification with Promote to STANDBY', async function () {
    this.timeout(180_000);
    const { notifications } = await api();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await vscode.commands.executeCommand('bluegreen.refresh');
    const shown = notifications.length;
    execFileSync(process.execPath, [CLI, 'deploy', '--to', 'staging', '--yes'], { cwd: folder, stdio: 'pipe', timeout: 150_000 });
    await vscode.commands.executeCommand('bluegreen.refresh');
    const told = await until('the staging notification', () => notifications.slice(shown).find((n) => /passed staging — ready for production/.test(n.message)), 10_000);
    assert.match(told.message, /^Blue-Green: demo: v1\.3\.0 \([0-9a-f]{7}\) passed staging — ready for production$/);
    assert.deepEqual(told.buttons, ['Promote to STANDBY']);
  });
});

/** Undoes a person's allowing of this config file's commands (only its own entry of the store). */
function forgetAllowed(configFile: string): void {
  const file = allowedCommandsFile();
  if (!existsSync(file)) return;
  const store = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete store[realpathSync(configFile)];
  writeFileSync(file, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
}

describe('following staging from the editor (bluegreen.staging.follow)', () => {
  const settings = () => vscode.workspace.getConfiguration('bluegreen.staging');

  it("when turned on, says Following develop on the Staging row; a commit pushed to develop is deployed to staging and told with Promote to STANDBY; turned off, it stops", async function () {
    this.timeout(180_000);
    const { model, tree, notifications, outputLines, confirmSeam } = await api();
    const lab = process.env.BLUEGREEN_LAB_DIR!;
    await vscode.commands.executeCommand('bluegreen.refresh');
    const shown = notifications.length;
    try {
      await settings().update('followIntervalSeconds', 10, vscode.ConfigurationTarget.Global);
      // Nobody clicks before a followed deploy: the commands it runs must be allowed as written. Not allowed, nothing follows.
      // (The agent's tests before this one allowed them: this one starts with this workspace's allowing undone.)
      forgetAllowed(model.config!.file);
      const asked = confirmSeam.asked.length;
      confirmSeam.answer = () => ({ ok: false });
      await settings().update('follow', true, vscode.ConfigurationTarget.Global);
      await until('the commands to be asked about', () => confirmSeam.asked.slice(asked).find((r) => r.action === 'Allow Commands'), 10_000);
      await until('the refusal to be said', () => notifications.slice(shown).find((n) => /not following staging/.test(n.message)), 10_000);
      assert.equal(model.following.has('demo'), false);
      await settings().update('follow', false, vscode.ConfigurationTarget.Global);
      confirmSeam.answer = () => ({ ok: true });
      await settings().update('follow', true, vscode.ConfigurationTarget.Global);
      await until('following', () => model.following.get('demo'), 10_000);
      confirmSeam.answer = undefined;
      const following = await stagingRows();
      assert.match(String(following.row.description), /· following$/);
      assert.deepEqual(following.stages.map((s) => String(s.label)).at(-1), 'Following develop');

      // A person pushes to develop: the window deploys it to staging within an interval or two.
      const work = path.join(lab, `develop-push-${Date.now()}`);
      const git = (...args: string[]) => execFileSync('git', args, { cwd: work, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@bluegreen.invalid', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@bluegreen.invalid' } }).toString().trim();
      execFileSync('git', ['clone', '-q', '--branch', 'develop', path.join(lab, 'origin.git'), work]);
      git('commit', '-q', '--allow-empty', '-m', 'Followed from the editor');
      git('push', '-q', 'origin', 'develop');
      const pushed = git('rev-parse', 'HEAD');
      const told = await until('the followed deploy to be told', () => notifications.slice(shown).find((n) => n.message.includes(pushed.slice(0, 7)) && /passed staging — ready for production/.test(n.message)), 90_000);
      assert.deepEqual(told.buttons, ['Promote to STANDBY']);
      assert.equal(model.snapshot?.apps[0].staging?.last?.commit, pushed);
      assert.ok(outputLines.some((l) => l.includes(`[follow demo] deploying ${pushed.slice(0, 7)} to staging`)), outputLines.filter((l) => l.includes('[follow')).join('\n'));
    } finally {
      confirmSeam.answer = undefined;
      await settings().update('follow', undefined, vscode.ConfigurationTarget.Global);
      await settings().update('followIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('following to stop', () => (model.following.has('demo') ? undefined : true), 10_000);
    const [appNode] = tree.getChildren();
    const row = tree.getChildren(appNode).map((n) => tree.getTreeItem(n)).find((i) => String(i.contextValue).startsWith('pipeline:'));
    assert.doesNotMatch(String(row?.description), /following/);
  });
});

describe('the promotion gate in the editor (staging.required)', () => {
  it("refuses a deploy of a commit staging never ran, offering Deploy to Staging, Promote and Skip Staging…; skipping asks a reason, which the history's Staging skipped row shows", async function () {
    this.timeout(180_000);
    const { model, tree, notifications, confirmSeam, outputLines } = await api();
    const file = model.config!.file;
    const original = readFileSync(file, 'utf8');
    const required = original.replace(/^( {6}branch: develop\n)/m, '$1      required: true\n');
    assert.notEqual(required, original, 'the lab config has no staging branch line to put required under');
    try {
      writeFileSync(file, required);
      await until('staging.required to be read', () => (model.config?.apps[0].staging?.required ? true : undefined), 10_000);
      await vscode.commands.executeCommand('bluegreen.refresh');
      confirmSeam.answer = () => ({ ok: true });
      let shown = notifications.length;
      // origin/main's tip never went to staging (it follows develop).
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.deploy', { app: { name: 'demo' } }), false);
      const refusal = notifications.slice(shown).find((n) => n.level === 'error');
      assert.ok(refusal, JSON.stringify(notifications.slice(shown)));
      assert.match(refusal.message, /was never deployed to staging/);
      assert.deepEqual(refusal.buttons, ['Deploy to Staging', 'Promote to STANDBY', 'Skip Staging…', 'Show Output']);

      shown = notifications.length;
      const asked = confirmSeam.asked.length;
      confirmSeam.answer = (r) => ({ ok: true, ...(r.askReason ? { reason: 'hotfix for the checkout page', via: 'editor dialog' } : {}) });
      assert.equal(await vscode.commands.executeCommand<boolean>('bluegreen.deploySkippingStaging', { app: { name: 'demo' } }), true, outputLines.slice(-20).join('\n'));
      const dialog = confirmSeam.asked.slice(asked).find((r) => r.askReason);
      assert.ok(dialog, 'the dialog asked no reason');
      assert.match(dialog.detail, /staging\.required is set: this deploy skips staging, and the reason is recorded in the history/);
      await vscode.commands.executeCommand('bluegreen.refresh');
      const [appNode] = tree.getChildren();
      const history = tree.getChildren(appNode).find((n) => tree.getTreeItem(n).label === 'History');
      assert.ok(history, 'no History row');
      const skipped = tree.getChildren(history).map((n) => tree.getTreeItem(n)).find((i) => String(i.label).startsWith('Staging skipped → '));
      assert.ok(skipped, 'no Staging skipped row in the history');
      assert.match(String((skipped.tooltip as vscode.MarkdownString).value), /Reason: hotfix for the checkout page/);
    } finally {
      confirmSeam.answer = undefined;
      writeFileSync(file, original);
      await until('the config without required', () => (model.config && !model.config.apps[0].staging?.required ? true : undefined), 10_000);
    }
  });
});
