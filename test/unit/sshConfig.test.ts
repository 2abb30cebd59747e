import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBlueGreenError } from '../../src/core/errors';
import { machineOf, parseHostSpec, resolveHost } from '../../src/core/ssh/sshConfig';

describe('ssh config resolution', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-sshcfg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses user@host:port, [v6]:port and bare aliases', () => {
    assert.deepEqual(parseHostSpec('deploy@10.0.0.5:2222'), { user: 'deploy', host: '10.0.0.5', port: 2222 });
    assert.deepEqual(parseHostSpec('[::1]:22'), { user: undefined, host: '::1', port: 22 });
    assert.deepEqual(parseHostSpec('jwa'), { user: undefined, host: 'jwa', port: undefined });
  });

  it('reads HostName, User, Port, IdentityFile, ProxyJump, IdentityAgent and UserKnownHostsFile', async () => {
    const config = path.join(dir, 'config');
    writeFileSync(config, ['Host jwa', '  HostName 10.92.3.22', '  User deploy', '  Port 2201', '  IdentityFile ~/.ssh/jw_key', '  ProxyJump bastion,inner', '  IdentityAgent none', `  UserKnownHostsFile ${dir}/kh1 ${dir}/kh2`, '', 'Host *', '  User fallback', ''].join('\n'));
    const h = await resolveHost('jwa', config);
    assert.equal(h.hostname, '10.92.3.22');
    assert.equal(h.user, 'deploy');
    assert.equal(h.port, 2201);
    assert.deepEqual(h.identityFiles, [path.join(os.homedir(), '.ssh/jw_key')]);
    assert.deepEqual(h.proxyJump, ['bastion', 'inner']);
    assert.equal(h.agent, undefined);
    assert.deepEqual(h.knownHostsFiles, [`${dir}/kh1`, `${dir}/kh2`]);
    const other = await resolveHost('ops@elsewhere:2022', config);
    assert.deepEqual([other.user, other.hostname, other.port], ['ops', 'elsewhere', 2022]);
  });

  it('reads an edited file afresh, and repeated lookups of one file do not change each other', async () => {
    const config = path.join(dir, 'config');
    writeFileSync(config, ['Host a', '  HostName 10.0.0.1', '  IdentityFile ~/.ssh/a_key', ''].join('\n'));
    const first = await resolveHost('a', config);
    const again = await resolveHost('a', config);
    assert.deepEqual(again, first);
    assert.deepEqual(first.identityFiles, [path.join(os.homedir(), '.ssh/a_key')]);
    writeFileSync(config, ['Host a', '  HostName 10.0.0.2', ''].join('\n'));
    assert.equal((await resolveHost('a', config)).hostname, '10.0.0.2');
  });

  it('hardening: reads GlobalKnownHostsFile (default /etc/ssh/ssh_known_hosts), RevokedHostKeys and HostKeyAlias (RELIABILITY row 26)', async () => {
    const config = path.join(dir, 'config');
    writeFileSync(config, ['Host jwa', '  HostName 10.92.3.22', `  GlobalKnownHostsFile ${dir}/global`, `  RevokedHostKeys ${dir}/revoked`, '  HostKeyAlias jw-attendant', '', 'Host plain', '  HostName 10.0.0.9', ''].join('\n'));
    const h = await resolveHost('jwa', config);
    assert.deepEqual([h.globalKnownHostsFiles, h.revokedHostKeys, h.hostKeyAlias], [[`${dir}/global`], `${dir}/revoked`, 'jw-attendant']);
    const plain = await resolveHost('plain', config);
    assert.deepEqual([plain.globalKnownHostsFiles, plain.revokedHostKeys, plain.hostKeyAlias], [['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'], undefined, undefined]);
  });

  it('follows Include, with globs, spliced where it is written', async () => {
    mkdirSync(path.join(dir, 'conf.d'));
    writeFileSync(path.join(dir, 'conf.d', '10-app.conf'), 'Host app\n  HostName 10.0.0.10\n');
    writeFileSync(path.join(dir, 'conf.d', '20-lb.conf'), 'Host lb\n  HostName 10.0.0.20\n  Port 2200\n');
    const config = path.join(dir, 'config');
    writeFileSync(config, `Include ${dir}/conf.d/*.conf\n`);
    assert.equal((await resolveHost('app', config)).hostname, '10.0.0.10');
    assert.equal((await resolveHost('lb', config)).port, 2200);
  });

  it('never runs Match exec commands', async () => {
    const marker = path.join(dir, 'executed');
    const config = path.join(dir, 'config');
    writeFileSync(config, `Match exec "touch ${marker}"\n  HostName evil\nHost app\n  HostName 10.0.0.10\n`);
    const h = await resolveHost('app', config);
    assert.equal(existsSync(marker), false);
    assert.equal(h.hostname, '10.0.0.10');
  });

  const machines: [string, string, string][] = [
    ['App1.Internal', '', 'app1.internal:22'],
    ['deploy@10.0.0.5:2222', '', '10.0.0.5:2222'],
    ['[::1]:22', '', '[::1]:22'],
    ['web1', 'Host web1\n  HostName Web1.Internal\n  Port 2200\n', 'web1.internal:2200'],
  ];
  for (const [spec, config, machine] of machines) {
    it(`the machine ${spec} is: ${machine}`, () => {
      writeFileSync(path.join(dir, 'config'), config);
      assert.equal(machineOf(resolveHost(spec, path.join(dir, 'config'))), machine);
    });
  }

  it('refuses a spec that is not a host', () => {
    assert.throws(() => resolveHost('a@b@c:x', path.join(dir, 'none')), (e: unknown) => isBlueGreenError(e, 'ssh-config'));
  });
});
