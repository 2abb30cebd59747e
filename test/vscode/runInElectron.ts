// `npm run test:vscode`: the same extension-host suite in VS Code desktop, downloaded by
// @vscode/test-electron. Needs internet; CI here uses code-server instead (runInCodeServer).
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { labDown, labUp, labWorkspace, readLabInfo } from '../../lab/lab';
import { DEFAULT_TOPOLOGY } from '../../lab/topology';
import { PROJECT_ROOT } from '../../lab/codeServer';

async function main(): Promise<number> {
  const labDir = process.env.BLUEGREEN_LAB_DIR ?? path.join(os.tmpdir(), 'bluegreen-lab-test');
  const labWasUp = readLabInfo(labDir) !== undefined;
  // With a staging host: the Staging row and its commands are part of what the suite checks.
  const lab = await labUp(labDir, undefined, { ...DEFAULT_TOPOLOGY, staging: true });
  const folder = labWorkspace(lab, mkdtempSync(path.join(os.tmpdir(), 'bg-electron-')));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.85.2',
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: path.join(PROJECT_ROOT, 'out/test/vscode/index'),
      launchArgs: [folder, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } finally {
    if (!labWasUp) await labDown(labDir);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
