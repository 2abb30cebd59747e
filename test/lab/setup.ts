// Root hooks for the lab suite: one real lab (sshd x3, HAProxy, pm2 apps) for all files.
import * as os from 'node:os';
import * as path from 'node:path';
import { LabInfo, labDown, labUp } from '../../lab/lab';

const dir = process.env.BLUEGREEN_LAB_DIR ?? path.join(os.tmpdir(), 'bluegreen-lab-test');
let current: LabInfo | undefined;

export function lab(): LabInfo {
  if (!current) throw new Error('the lab is not up');
  return current;
}

before(async function () {
  this.timeout(180_000);
  current = await labUp(dir);
});

after(async function () {
  this.timeout(60_000);
  if (!process.env.BLUEGREEN_LAB_KEEP) await labDown(dir);
});
