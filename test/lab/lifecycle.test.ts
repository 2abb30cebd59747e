import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labDown, labUp, LabInfo } from '../../lab/lab';
import { canConnect, isAlive } from '../../lab/processes';
import { servedBy } from './helpers';
import { lab } from './setup';

function pidsOf(info: LabInfo): number[] {
  return [...Object.values(info.pids.sshd), info.pids.haproxy, ...Object.values(info.pids.pm2).flat()].filter((p): p is number => p !== undefined);
}

function endpoints(info: LabInfo): [string, number][] {
  const { lb, blue, green } = info.hosts;
  return [[lb.address, lb.sshPort], [blue.address, blue.sshPort], [green.address, green.sshPort], [blue.address, info.appPort], [green.address, info.appPort], [lb.address, 8080], [lb.address, 8081]];
}

describe('lab lifecycle (a second lab on its own subnet)', () => {
  it('up is idempotent, and down leaves no process and no listening port', async function () {
    this.timeout(180_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-lifecycle-'));
    const first = await labUp(dir, '127.78.0');
    try {
      const again = await labUp(dir, '127.78.0');
      assert.deepEqual(again.pids, first.pids, 'a second up restarted the lab');
      const open = await Promise.all(endpoints(first).map(([h, p]) => canConnect(h, p)));
      assert.deepEqual(open, open.map(() => true), 'not every lab port was listening');
      assert.ok(pidsOf(first).length >= 7, `lab.json records ${pidsOf(first).length} pids`);
    } finally {
      await labDown(dir);
    }
    assert.deepEqual(pidsOf(first).filter(isAlive), [], 'processes left running');
    const open = await Promise.all(endpoints(first).map(([h, p]) => canConnect(h, p)));
    assert.deepEqual(open, open.map(() => false), 'ports still listening after down');
  });

  it('refuses to start a lab on the addresses of one that is running, naming them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-second-'));
    const running = lab();
    await assert.rejects(labUp(dir, running.hosts.lb.address.split('.').slice(0, 3).join('.')), (e: Error) => e.message.includes(`${running.hosts.lb.address}:${running.hosts.lb.sshPort}`) && /another lab/.test(e.message));
    assert.equal(await servedBy('default'), 'blue', 'the running lab was disturbed');
    rmSync(dir, { recursive: true, force: true });
  });
});
