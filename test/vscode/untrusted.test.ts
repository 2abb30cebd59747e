import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/ui/testApi';

const EXTENSION_ID = 'bluegreen.blue-green';

function labFile(...parts: string[]): string {
  const dir = process.env.BLUEGREEN_LAB_DIR;
  assert.ok(dir, 'BLUEGREEN_LAB_DIR is not set for the extension host');
  return path.join(dir, ...parts);
}

function logins(): number {
  return ['lb', 'blue', 'green'].reduce((n, h) => n + (readFileSync(labFile('hosts', h, 'sshd.log'), 'utf8').match(/Accepted publickey/g) ?? []).length, 0);
}

describe('Blue-Green in an untrusted workspace (RELIABILITY row 21)', () => {
  it('every command refuses, and no host is contacted', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the test workspace should be untrusted');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const before = { logins: logins(), state: readFileSync(labFile('hosts', 'lb', 'state', 'demo-deployment-state.json'), 'utf8'), cfg: readFileSync(labFile('hosts', 'lb', 'haproxy.cfg'), 'utf8') };
    const commands = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    // Restricted mode either keeps the extension inactive (its commands are not found) or, for a
    // development extension, activates it; then every handler must say it refused, in the output.
    for (const command of commands) {
      const found = await Promise.resolve(vscode.commands.executeCommand(command, { app: { name: 'demo' }, slot: { name: 'green' } })).then(
        () => true,
        (e: unknown) => {
          assert.match(String(e), /not found/, `${command} failed oddly: ${String(e)}`);
          return false;
        },
      );
      if (!found) {
        assert.equal(ext.isActive, false, `${command} is not registered although the extension is active`);
        continue;
      }
      const api = ext.exports as TestApi | undefined;
      assert.ok(api, `${command} ran, but the extension returned no test API`);
      assert.ok(api.outputLines.includes(`[trust] ${command} refused: this workspace is not trusted`), `${command} did not refuse in an untrusted workspace`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(logins(), before.logins, 'an SSH login happened');
    assert.equal(readFileSync(labFile('hosts', 'lb', 'state', 'demo-deployment-state.json'), 'utf8'), before.state);
    assert.equal(readFileSync(labFile('hosts', 'lb', 'haproxy.cfg'), 'utf8'), before.cfg);
  });
});
