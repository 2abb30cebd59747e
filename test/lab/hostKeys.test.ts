import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isBlueGreenError } from '../../src/core/errors';
import { assertInvariants, BLUE, labRunner } from './helpers';
import { lab } from './setup';

describe('host key verification against the lab (real sshd)', () => {
  let stateAtStart: string;
  beforeEach(() => {
    stateAtStart = readFileSync(lab().stateFile, 'utf8');
  });
  afterEach(() => assertInvariants('blue', stateAtStart));

  function hostKey(name: 'blue' | 'lb'): string {
    return readFileSync(path.join(lab().hosts[name].home, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  }
  function acceptedLogins(): number {
    return (readFileSync(path.join(lab().hosts.blue.home, 'sshd.log'), 'utf8').match(/Accepted publickey/g) ?? []).length;
  }

  it('row 1: refuses an unknown host key and shows its SHA256 fingerprint', async () => {
    const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-kh-')), 'known_hosts');
    writeFileSync(empty, '');
    const asked: string[] = [];
    const runner = labRunner({ knownHostsFile: empty, prompts: { confirmUnknownHostKey: async (i) => (asked.push(i.fingerprint), false), askPassphrase: async () => undefined } });
    try {
      const expected = execFileSync('ssh-keygen', ['-lf', path.join(lab().hosts.blue.home, 'ssh_host_ed25519_key.pub')]).toString().split(' ')[1];
      await assert.rejects(runner.run(BLUE, 'true'), (e: unknown) => isBlueGreenError(e, 'host-key-unknown') && (e as Error).message.includes(expected));
      assert.deepEqual(asked, [expected]);
    } finally {
      runner.dispose();
    }
  });

  it('row 1: connects to an unknown host when the person accepts the key, writing nothing', async () => {
    const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-kh-')), 'known_hosts');
    writeFileSync(empty, '');
    const runner = labRunner({ knownHostsFile: empty, prompts: { confirmUnknownHostKey: async () => true, askPassphrase: async () => undefined } });
    try {
      assert.equal((await runner.run(BLUE, 'echo ok')).stdout, 'ok\n');
      assert.equal(readFileSync(empty, 'utf8'), '', 'known_hosts was written without asking');
    } finally {
      runner.dispose();
    }
  });

  it('row 2: refuses a changed host key before authenticating', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-kh-')), 'known_hosts');
    const { blue } = lab().hosts;
    // BLUE's address recorded with the LB's key: to the client, BLUE's key changed.
    writeFileSync(file, `[${blue.address}]:${blue.sshPort} ${hostKey('lb')}\n`);
    const before = acceptedLogins();
    let prompted = false;
    const runner = labRunner({ knownHostsFile: file, prompts: { confirmUnknownHostKey: async () => (prompted = true), askPassphrase: async () => ((prompted = true), undefined) } });
    try {
      await assert.rejects(runner.run(BLUE, 'true'), (e: unknown) => isBlueGreenError(e, 'host-key-changed') && /CHANGED/.test((e as Error).message));
      assert.equal(prompted, false);
      assert.equal(acceptedLogins(), before, 'the client authenticated to a host whose key changed');
    } finally {
      runner.dispose();
    }
  });

  it('row 3: accepts hashed known_hosts entries written by ssh-keygen -H', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-kh-')), 'known_hosts');
    writeFileSync(file, readFileSync(lab().knownHosts));
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    assert.match(readFileSync(file, 'utf8'), /^\|1\|/);
    const runner = labRunner({ knownHostsFile: file });
    try {
      assert.equal((await runner.run(BLUE, 'echo hashed')).stdout, 'hashed\n');
    } finally {
      runner.dispose();
    }
  });

  it('row 4: a wrong key passphrase is a clear error naming the key; the right one connects', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-pass-'));
    const key = path.join(dir, 'id_locked');
    writeFileSync(key, readFileSync(lab().clientKey), { mode: 0o600 });
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'open sesame', '-f', key]);
    const config = path.join(dir, 'config');
    const { blue } = lab().hosts;
    writeFileSync(config, [`Host locked-blue`, `  HostName ${blue.address}`, `  Port ${blue.sshPort}`, `  IdentityFile ${key}`, '  IdentityAgent none', `  UserKnownHostsFile ${lab().knownHosts}`, ''].join('\n'));
    const asked: string[] = [];
    const wrong = labRunner({ sshConfigFile: config, prompts: { confirmUnknownHostKey: async () => false, askPassphrase: async (f) => (asked.push(f), 'guess') } });
    try {
      await assert.rejects(wrong.run({ ssh: 'locked-blue' }, 'true'), (e: unknown) => isBlueGreenError(e, 'key-unreadable') && (e as Error).message === `wrong passphrase for key ${key}`);
      assert.deepEqual(asked, [key]);
    } finally {
      wrong.dispose();
    }
    const right = labRunner({ sshConfigFile: config, prompts: { confirmUnknownHostKey: async () => false, askPassphrase: async () => 'open sesame' } });
    try {
      assert.equal((await right.run({ ssh: 'locked-blue' }, 'echo in')).stdout, 'in\n');
    } finally {
      right.dispose();
    }
  });

  it('row 1: refuses when known_hosts cannot be read', async function () {
    if (process.getuid?.() === 0) {
      // root reads any file; a directory in its place is unreadable as a file for everyone.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-kh-'));
      const runner = labRunner({ knownHostsFile: dir });
      try {
        await assert.rejects(runner.run(BLUE, 'true'), (e: unknown) => isBlueGreenError(e, 'known-hosts-unreadable'));
      } finally {
        runner.dispose();
      }
      return;
    }
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-kh-')), 'known_hosts');
    writeFileSync(file, '', { mode: 0o000 });
    const runner = labRunner({ knownHostsFile: file });
    try {
      await assert.rejects(runner.run(BLUE, 'true'), (e: unknown) => isBlueGreenError(e, 'known-hosts-unreadable'));
    } finally {
      runner.dispose();
    }
  });
  it('row 26: honours RevokedHostKeys, @revoked in GlobalKnownHostsFile, and HostKeyAlias, as OpenSSH does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-kh-'));
    // Options for lab-blue first (the first value wins), then the lab's own config.
    const configWith = (...options: string[]) => {
      const file = path.join(dir, `config-${options.length}-${Date.now()}`);
      writeFileSync(file, ['Host lab-blue', ...options.map((o) => `  ${o}`), '', `Include ${lab().sshConfig}`, ''].join('\n'));
      return file;
    };
    const connect = async (sshConfigFile: string) => {
      const runner = labRunner({ sshConfigFile });
      try {
        return (await runner.run(BLUE, 'echo ok')).stdout;
      } finally {
        runner.dispose();
      }
    };
    const before = acceptedLogins();
    writeFileSync(path.join(dir, 'revoked'), `${hostKey('blue')} retired\n`);
    await assert.rejects(connect(configWith(`RevokedHostKeys ${path.join(dir, 'revoked')}`)), (e: unknown) => isBlueGreenError(e, 'host-key-revoked') && /listed in RevokedHostKeys/.test((e as Error).message));
    writeFileSync(path.join(dir, 'global'), `@revoked * ${hostKey('blue')}\n`);
    await assert.rejects(connect(configWith(`GlobalKnownHostsFile ${path.join(dir, 'global')}`)), (e: unknown) => isBlueGreenError(e, 'host-key-revoked'));
    assert.equal(acceptedLogins(), before, 'a login happened with a revoked host key');
    writeFileSync(path.join(dir, 'by-alias'), `blue-alias ${hostKey('blue')}\n`);
    await assert.rejects(connect(configWith(`UserKnownHostsFile ${path.join(dir, 'by-alias')}`)), (e: unknown) => isBlueGreenError(e, 'host-key-unknown'));
    assert.equal(await connect(configWith(`UserKnownHostsFile ${path.join(dir, 'by-alias')}`, 'HostKeyAlias blue-alias')), 'ok\n');
  });
});
