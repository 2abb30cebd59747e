// #34's first step of `bluegreen init`: the apps the lab's load balancer describes, read over SSH.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sshAliases } from '../../src/core/config/scaffold';
import { readLoadBalancerApps } from '../../src/core/workflows/readLoadBalancerApps';
import { labRunner } from './helpers';
import { lab } from './setup';

describe("reading the apps a load balancer's haproxy.cfg describes (bluegreen init)", () => {
  it('finds the file the running HAProxy loads, proposes the lab app on both frontends with its slots, each server matched to its ssh alias, and changes nothing', async () => {
    const info = lab();
    const runner = labRunner();
    const hash = () => createHash('sha256').update(readFileSync(info.haproxyConfig)).digest('hex');
    const before = hash();
    try {
      const found = await readLoadBalancerApps(runner, { ssh: 'lab-lb' }, await sshAliases(info.sshConfig), { sshConfig: info.sshConfig, pickConfig: async (configs) => (configs.includes(info.haproxyConfig) ? info.haproxyConfig : configs[0]) });
      assert.equal(found.config, info.haproxyConfig);
      assert.equal(found.foundBy, 'running HAProxy');
      const demo = found.apps.find((a) => a.frontend === 'demo');
      assert.ok(demo, JSON.stringify(found));
      assert.deepEqual([demo.name, demo.backends, demo.pairedBy], ['demo', { blue: 'demo_blue', green: 'demo_green' }, 'names ending blue/green']);
      assert.deepEqual([demo.servers.blue.map((s) => s.aliases), demo.servers.green.map((s) => s.aliases)], [[['lab-blue']], [['lab-green']]]);
      assert.deepEqual(demo.servers.blue.map((s) => [s.address, s.port]), [[info.hosts.blue.address, info.appPort]]);
      const shared = found.apps.find((a) => a.frontend === 'shared' && a.acl === 'is_demo');
      assert.ok(shared, 'the shared frontend\'s rule for the app was not proposed');
      assert.match(found.unpaired.join('\n'), /other_app: no other backend looks like its second slot/);
      assert.equal(hash(), before, 'haproxy.cfg changed');
    } finally {
      runner.dispose();
    }
  });
});
