// Root hooks for the lab suite: one real lab (sshd x3, HAProxy, pm2 apps) for all files.
import * as os from 'node:os';
import * as path from 'node:path';
import { LabInfo, labDown, labUp, readLabInfo } from '../../lab/lab';

const dir = process.env.BLUEGREEN_LAB_DIR ?? path.join(os.tmpdir(), 'bluegreen-lab-test');
let current: LabInfo | undefined;

export function lab(): LabInfo {
  if (!current) throw new Error('the lab is not up');
  return current;
}

/** The /24 a lab's hosts are on ("127.77.0"). */
export function subnetOf(info: LabInfo): string {
  return info.hosts.lb.address.split('.').slice(0, 3).join('.');
}

before(async function () {
  this.timeout(180_000);
  // A lab already up in that folder (BLUEGREEN_LAB_DIR) is used as it is: its subnet and topology (--staging, say).
  const existing = readLabInfo(dir);
  current = await labUp(dir, existing ? subnetOf(existing) : undefined, existing?.topology);
});

after(async function () {
  this.timeout(60_000);
  if (!process.env.BLUEGREEN_LAB_KEEP) await labDown(dir);
});
