// `npm run demo`: the lab, plus code-server (a real VS Code in the browser) with the packaged
// extension and a workspace holding the lab's bluegreen.yaml. Ctrl-C stops both and removes
// the lab's folder.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { PROJECT_ROOT, startCodeServer } from './codeServer';
import { DEFAULT_LAB_DIR, labDown, labUp, labWorkspace } from './lab';
import { DEFAULT_TOPOLOGY } from './topology';

async function main(): Promise<void> {
  const vsix = path.join(PROJECT_ROOT, 'blue-green.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing; npm run demo builds it first`);
  console.error('demo: starting the lab (sshd x4, HAProxy, two pm2 apps and a staging one, a webhook receiver)…');
  // With staging: the newcomer sees the whole way, develop → staging → STANDBY → LIVE.
  const lab = await labUp(DEFAULT_LAB_DIR, undefined, { ...DEFAULT_TOPOLOGY, staging: true });
  const work = path.join(lab.dir, 'demo');
  const folder = labWorkspace(lab, work);
  console.error('demo: starting code-server with the packaged extension…');
  const server = await startCodeServer({ work, folder, installVsix: vsix, port: Number(process.env.DEMO_PORT ?? 8099), settings: { 'security.workspace.trust.enabled': false, 'workbench.colorTheme': 'Default Dark Modern' } });
  console.log(`\n  Open ${server.url}/?folder=${encodeURIComponent(folder)}\n  then the Blue-Green icon in the activity bar. Ctrl-C stops the demo.\n`);
  const stop = async () => {
    console.error('demo: stopping…');
    await server.stop();
    await labDown(lab.dir);
    // The lab's folder holds only what this run made (keys, logs, code-server's profile).
    await rm(lab.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
