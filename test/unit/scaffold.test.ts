import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { scaffoldYaml, sshAliases } from '../../src/core/config/scaffold';

describe('scaffolding bluegreen.yaml from ssh_config', () => {
  it('lists concrete Host aliases, following Include and skipping patterns', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-scaffold-'));
    writeFileSync(path.join(dir, 'extra'), 'Host jwg\n  HostName 10.92.3.24\n');
    writeFileSync(path.join(dir, 'config'), `Host haproxy jwa\n  User deploy\nHost *.internal !bastion\n  User x\nInclude ${dir}/extra\nHost *\n  ServerAliveInterval 30\n`);
    assert.deepEqual(await sshAliases(path.join(dir, 'config')), ['haproxy', 'jwa', 'jwg']);
  });

  it('writes a file that loads as it is, naming the LB and slot hosts it guessed', () => {
    const text = scaffoldYaml(['haproxy', 'jwa', 'jwg'], 'jw-attendant');
    const config = parseConfig(text, '/w/bluegreen.yaml');
    const app = config.apps[0];
    assert.equal(app.loadBalancer.ssh, 'haproxy');
    assert.deepEqual([app.slots.blue.servers[0].ssh, app.slots.green.servers[0].ssh], ['jwa', 'jwg']);
    assert.deepEqual([app.slots.blue.backend, app.slots.green.backend], ['jw_attendant_blue', 'jw_attendant_green']);
    // With one slot host, the two slots still get their own checkouts.
    const single = parseConfig(scaffoldYaml(['lb1', 'app1'], 'shop'), '/w/bluegreen.yaml').apps[0];
    assert.notEqual(single.slots.blue.servers[0].dir, single.slots.green.servers[0].dir);
    assert.ok(parseConfig(scaffoldYaml([], 'my-app'), '/w/bluegreen.yaml'));
  });
});
