import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/load';
import { sshTerminalArgs } from '../../src/core/ssh/terminalCommand';
import { nodeHost } from '../../src/ui/nodeHosts';

const FIXTURE = readFileSync(path.join(__dirname, '../../../test/unit/fixtures/valid.yaml'), 'utf8');

describe("Open Terminal on Host: the person's own ssh", () => {
  it('an alias as it is (their ssh_config applies), with -F when bluegreen.yaml names one', () => {
    assert.deepEqual(sshTerminalArgs({ ssh: 'green' }), ['--', 'green']);
    assert.deepEqual(sshTerminalArgs({ ssh: 'lab-green' }, '/work/app/ssh_config'), ['-F', '/work/app/ssh_config', '--', 'lab-green']);
  });

  it('user@host:port as -p PORT user@host; an IPv6 address out of its brackets', () => {
    assert.deepEqual(sshTerminalArgs({ ssh: 'deploy@10.0.0.5:2222' }), ['-p', '2222', '--', 'deploy@10.0.0.5']);
    assert.deepEqual(sshTerminalArgs({ ssh: 'deploy@[::1]:22' }), ['-p', '22', '--', 'deploy@::1']);
    assert.deepEqual(sshTerminalArgs({ ssh: 'web-1.example' }), ['--', 'web-1.example']);
  });

  it('a host cannot become an option: it comes after --, and a `via` runs nothing in the terminal', () => {
    assert.deepEqual(sshTerminalArgs({ ssh: '-oProxyCommand=touch /tmp/x' }).slice(-2), ['--', '-oProxyCommand=touch /tmp/x']);
    assert.deepEqual(sshTerminalArgs({ ssh: 'pve', via: 'pct exec 136 --' }), ['--', 'pve']);
  });
});

describe('the host a tree row stands for', () => {
  const config = parseConfig(FIXTURE, '/work/app/bluegreen.yaml');
  const app = config.apps[0];

  it('a slot row: its servers, titled with the slot and its role', () => {
    const row = nodeHost(app, { kind: 'slot', app: { name: app.name }, slot: { name: 'green', role: 'STANDBY' } });
    const only = app.slots.green.servers[0];
    assert.deepEqual(row, { kind: 'slot', slot: 'green', server: undefined, title: `GREEN (STANDBY) ${only.name}`, hosts: [{ name: only.name, host: only }] });
    assert.equal(nodeHost(app, { kind: 'slot', slot: { name: 'blue', role: 'UNKNOWN' } })?.title, `BLUE ${app.slots.blue.servers[0].name}`);
  });

  it('a server row: that server only; a server the config does not have: none', () => {
    const s = app.slots.blue.servers[0];
    assert.deepEqual(nodeHost(app, { kind: 'server', slot: { name: 'blue', role: 'LIVE' }, server: { server: s.name } }), { kind: 'server', slot: 'blue', server: s.name, title: `BLUE (LIVE) ${s.name}`, hosts: [{ name: s.name, host: s }] });
    assert.equal(nodeHost(app, { kind: 'server', slot: { name: 'blue' }, server: { server: 'nope' } }), undefined);
  });

  it('the load balancer row, and none for any other row or shape', () => {
    assert.deepEqual(nodeHost(app, { kind: 'lb', lb: { host: app.loadBalancer.ssh } }), { kind: 'lb', title: `the load balancer ${app.loadBalancer.ssh}`, hosts: [{ name: app.loadBalancer.ssh, host: app.loadBalancer }] });
    for (const odd of [undefined, null, {}, { kind: 'history' }, { kind: 'slot', slot: { name: 'red' } }, { kind: 'slot', slot: { name: '__proto__' } }, 'slot']) assert.equal(nodeHost(app, odd), undefined, JSON.stringify(odd));
  });
});
