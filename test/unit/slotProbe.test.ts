import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { probeServer } from '../../src/core/status/probeServer';
import { LocalRunner } from './localRunner';

describe('slot probe: git and package.json are read again only when the checkout changed', () => {
  let dir: string;
  let runner: LocalRunner;
  const app = () =>
    parseConfig(
      `version: 1\napps:\n  - name: demo\n    loadBalancer:\n      ssh: lb\n      config: /etc/haproxy/haproxy.cfg\n      frontend: demo\n      reload: "true"\n      stateFile: /var/lib/bluegreen/state.json\n    slots:\n      blue:  { ssh: a, backend: demo_blue, url: "http://10.0.0.1:3001", dir: ${dir}, pm2: demo-blue }\n      green: { ssh: b, backend: demo_green, url: "http://10.0.0.2:3001", dir: /opt/demo, pm2: demo-green }\n`,
      path.join(dir, 'bluegreen.yaml'),
    ).apps[0];
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  const commit = (version: string) => {
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'demo', version }, null, 2) + '\n');
    git('add', 'package.json');
    git('commit', '-q', '-m', `v${version}`);
    return git('rev-parse', 'HEAD');
  };
  const probe = () => probeServer(runner, app().slots.blue.servers[0]);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-slotprobe-'));
    git('init', '-q', '-b', 'main');
    runner = new LocalRunner();
  });
  afterEach(() => {
    runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts neither git nor cat when nothing changed, and answers the same', async () => {
    const head = commit('1.0.0');
    const first = await probe();
    assert.deepEqual(runner.started(), ['git', 'cat']);
    assert.equal(first.commit, head);
    assert.equal(first.branch, 'main');
    assert.equal(first.version, '1.0.0');
    const second = await probe();
    assert.deepEqual(runner.started(), []);
    assert.deepEqual(second, first);
  });

  it('sees a new commit on the branch, and a detached checkout of an older one', async () => {
    const old = commit('1.0.0');
    await probe();
    const head = commit('1.1.0');
    assert.deepEqual(await probe().then((p) => [p.commit, p.version]), [head, '1.1.0']);
    git('checkout', '-q', '--detach', old);
    const detached = await probe();
    assert.deepEqual([detached.commit, detached.branch, detached.version], [old, undefined, '1.0.0']);
  });

  it('sees a tag fetched for the checked-out commit, without a checkout', async () => {
    commit('1.0.0');
    assert.equal((await probe()).tag, undefined);
    git('tag', '-a', 'v1.0.0', '-m', 'Release v1.0.0');
    assert.equal((await probe()).tag, 'v1.0.0');
    git('tag', '-d', 'v1.0.0');
    assert.equal((await probe()).tag, undefined);
  });

  it('sees package.json edited by hand on the host', async () => {
    commit('1.0.0');
    await probe();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '9.9.9' }) + '\n');
    assert.equal((await probe()).version, '9.9.9');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '9.9.8' }) + '\n');
    assert.equal((await probe()).version, '9.9.8');
  });

  it('reads every time when the branch ref is packed (no cheap fingerprint)', async () => {
    const head = commit('1.0.0');
    git('pack-refs', '--all', '--prune');
    assert.equal((await probe()).commit, head);
    assert.equal((await probe()).commit, head);
    assert.deepEqual(runner.started(), ['git', 'cat', 'git', 'cat']);
  });
});
