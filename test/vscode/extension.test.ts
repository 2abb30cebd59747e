import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

const EXTENSION_ID = 'bluegreen.blue-green';

async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

async function until<T>(what: string, get: () => T | undefined, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Blue-Green in a real VS Code extension host', () => {
  it('activates in the lab workspace and registers every contributed command', async () => {
    const { model } = await api();
    await until('the config', () => model.config);
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of pkg.contributes.commands) assert.ok(registered.has(command), `${command} is contributed but not registered`);
  });

  it('reads the lab: BLUE LIVE, GREEN STANDBY, in the tree and on the badge', async () => {
    const { model, badge, tree } = await api();
    await vscode.commands.executeCommand('bluegreen.refresh');
    const snapshot = await until('a snapshot', () => model.snapshot);
    assert.equal(snapshot.apps[0].live, 'blue');

    const [appNode] = tree.getChildren();
    assert.equal(tree.getTreeItem(appNode).label, 'demo');
    const children = tree.getChildren(appNode).map((n) => tree.getTreeItem(n));
    assert.deepEqual(children.map((i) => i.label), ['Load balancer', 'BLUE · LIVE · v1.1.0', 'GREEN · STANDBY · v1.1.0']);
    assert.deepEqual(children.map((i) => i.contextValue), ['loadBalancer', 'slot:live:up', 'slot:standby:up']);
    assert.equal(badge.text, '$(broadcast) LIVE: BLUE v1.1.0');
  });
});
