// #34 part 3: the doctor checks every host in the shell the tool's steps run in, not only haproxy.cfg.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config } from '../../src/core/config/types';
import { preApproved } from '../../src/core/plan/confirm';
import { redact } from '../../src/core/redact';
import { REFUSE_PROMPTS } from '../../src/core/ssh/runner';
import { Ssh2Runner } from '../../src/core/ssh/ssh2Runner';
import { NVM_LINES, SetupFinding } from '../../src/core/status/setupFindings';
import { doctor } from '../../src/core/workflows/doctor';
import { RecordingReporter } from '../../src/core/workflows/parts/reporter';
import { labConfig } from './helpers';
import { lab } from './setup';

/** Commands a server without a system-wide node has: everything in the system's folders but node, npm, npx, pm2. */
function pathWithoutNode(into: string): string {
  mkdirSync(into);
  for (const folder of ['/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      if (['node', 'nodejs', 'npm', 'npx', 'corepack', 'pm2'].includes(name) || existsSync(path.join(into, name))) continue;
      symlinkSync(path.join(folder, name), path.join(into, name));
    }
  }
  return into;
}

describe("doctor: every host, in the tool's own shell (#34)", function () {
  this.timeout(120_000);
  let scratch: string;
  let sshConfig: string;
  let runner: Ssh2Runner;
  let nvmSshd: number | undefined;
  const NVM_PORT = 2223;

  /**
   * GREEN's machine seen through a second sshd (lab-green-nvm) set up as a server with nvm: no
   * node on the system PATH, and a ~/.bashrc that loads nvm below Debian's guard, which returns
   * early for any shell that is not interactive, as an ssh command's is.
   */
  before(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'bg-doctor-hosts-'));
    const green = lab().hosts.green;
    const home = path.join(scratch, 'home');
    const nodeBin = path.join(home, '.nvm', 'versions', 'node', 'v20.0.0', 'bin');
    mkdirSync(nodeBin, { recursive: true });
    symlinkSync(process.execPath, path.join(nodeBin, 'node'));
    symlinkSync(execFileSync('sh', ['-c', 'command -v npm']).toString().trim(), path.join(nodeBin, 'npm'));
    symlinkSync(path.join(lab().dir, 'bin', 'pm2'), path.join(nodeBin, 'pm2'));
    writeFileSync(path.join(home, '.nvm', 'nvm.sh'), 'export PATH="$NVM_DIR/versions/node/v20.0.0/bin:$PATH"\n');
    writeFileSync(
      path.join(home, '.bashrc'),
      ['# ~/.bashrc: executed by bash(1) for non-login shells.', '', '# If not running interactively, don\'t do anything', 'case $- in', '    *i*) ;;', '      *) return;;', 'esac', '', 'HISTCONTROL=ignoreboth', '', 'export NVM_DIR="$HOME/.nvm"', '[ -s "$NVM_DIR/nvm.sh" ] && \\. "$NVM_DIR/nvm.sh"  # This loads nvm', ''].join('\n'),
    );
    const bin = pathWithoutNode(path.join(scratch, 'bin'));
    // No SHLVL=1 here: bash, started by sshd, reads ~/.bashrc as it does on a server.
    const conf = readFileSync(path.join(green.home, 'sshd_config'), 'utf8')
      .replace(/^ListenAddress .*$/m, `ListenAddress ${green.address}:${NVM_PORT}`)
      .replace(/^PidFile .*$/m, `PidFile ${path.join(scratch, 'sshd.pid')}`)
      .replace(/^SetEnv .*$/m, `SetEnv PATH=${bin} PM2_HOME=${path.join(green.home, 'pm2')} HOME=${home}`);
    writeFileSync(path.join(scratch, 'sshd_config'), conf);
    execFileSync('/usr/sbin/sshd', ['-f', path.join(scratch, 'sshd_config'), '-E', path.join(scratch, 'sshd.log')]);
    // sshd writes its pid file once it listens.
    for (let i = 0; i < 100 && !existsSync(path.join(scratch, 'sshd.pid')); i++) await new Promise((r) => setTimeout(r, 50));
    nvmSshd = Number(readFileSync(path.join(scratch, 'sshd.pid'), 'utf8'));
    const knownHosts = path.join(scratch, 'known_hosts');
    copyFileSync(lab().knownHosts, knownHosts);
    const greenKey = readFileSync(lab().knownHosts, 'utf8').split('\n').find((l) => l.startsWith(`[${green.address}]:`))!.split(' ').slice(1).join(' ');
    appendFileSync(knownHosts, `[${green.address}]:${NVM_PORT} ${greenKey}\n`);
    sshConfig = path.join(scratch, 'ssh_config');
    const base = readFileSync(lab().sshConfig, 'utf8').replaceAll(lab().knownHosts, knownHosts);
    writeFileSync(sshConfig, `${base}\nHost lab-green-nvm\n  HostName ${green.address}\n  Port ${NVM_PORT}\n  User ${os.userInfo().username}\n  IdentityFile ${lab().clientKey}\n  IdentitiesOnly yes\n  IdentityAgent none\n  UserKnownHostsFile ${knownHosts}\n  StrictHostKeyChecking yes\n`);
    runner = new Ssh2Runner({ sshConfigFile: sshConfig, connectTimeoutMs: 5000, keepaliveIntervalMs: 2000, commandTimeoutMs: 60000, prompts: REFUSE_PROMPTS });
  });

  after(() => {
    runner?.dispose();
    if (nvmSshd) process.kill(nvmSshd);
    rmSync(scratch, { recursive: true, force: true });
  });

  const config = (edit: (yaml: string) => string): Config => labConfig('default', (y) => edit(y.replace(`config: ${lab().sshConfig}`, `config: ${sshConfig}`)));
  const run = async (c: Config) => {
    const reporter = new RecordingReporter();
    const r = await doctor({ runner, app: c.apps[0], reporter, confirm: preApproved(), who: redact('test@doctor') });
    return { ...r, shown: reporter.lines.join('\n') };
  };
  const brief = (f: SetupFinding) => `${f.where}: ${f.id}`;

  it('finds nothing on the lab as it is, says so, and changes nothing there', async () => {
    const bytes = () => [readFileSync(lab().haproxyConfig, 'latin1'), readFileSync(lab().stateFile, 'latin1'), execFileSync('git', ['-C', path.join(lab().hosts.green.home, 'app'), 'rev-parse', 'HEAD']).toString()];
    const before = bytes();
    const r = await run(config((y) => y));
    assert.deepEqual(bytes(), before);
    assert.deepEqual(r.setup.filter((f) => f.severity !== 'info').map(brief), []);
    assert.equal(r.problems, 0, r.summary);
    assert.match(r.summary, /Every slot host has its checkout/);
  });

  it('a host where npm is only on an interactive shell\'s PATH (nvm below ~/.bashrc\'s guard): named, with the line to add, which then works', async () => {
    // The scenario is real: a terminal's shell there finds npm; an ssh command's does not.
    const ssh = (command: string) => spawnSync('ssh', ['-F', sshConfig, 'lab-green-nvm', command], { encoding: 'utf8', timeout: 30_000 });
    assert.match(ssh('bash -ic "command -v npm" 2>/dev/null').stdout, /\.nvm\/versions\/node\/v20\.0\.0\/bin\/npm/);
    assert.equal(ssh('command -v npm').status, 1);

    const nvm = config((y) => y.replace('ssh: lab-green', 'ssh: lab-green-nvm'));
    const r = await run(nvm);
    const npm = r.setup.find((f) => f.where === 'GREEN lab-green-nvm' && f.title === '"npm" not found');
    assert.ok(npm, r.shown);
    assert.match(npm.why, /nvm is loaded by ~\/\.bashrc at line 11, after line 4, which ends ~\/\.bashrc for a shell that is not interactive/);
    assert.equal(npm.byHand, `add this line to ~/.bashrc above line 4: ${NVM_LINES}`);
    assert.deepEqual(r.setup.filter((f) => f.id === 'command-missing').map((f) => f.title).sort(), ['"node" not found', '"npm" not found', '"pm2" not found']);
    assert.ok(r.problems >= 3);
    assert.match(r.shown, /✗ GREEN lab-green-nvm: "npm" not found: .* Fix: add this line to ~\/\.bashrc above line 4/);

    // The line it gives, added where it says, is the whole fix.
    const bashrc = path.join(scratch, 'home', '.bashrc');
    const lines = readFileSync(bashrc, 'utf8').split('\n');
    writeFileSync(bashrc, [...lines.slice(0, 3), NVM_LINES, ...lines.slice(3)].join('\n'));
    const fixed = await run(nvm);
    assert.deepEqual(fixed.setup.filter((f) => f.severity !== 'info').map(brief), []);
  });

  it('a missing checkout and a pm2 name that does not exist: each named on its host, with what to do', async () => {
    const r = await run(config((y) => y.replace(`dir: ${path.join(lab().hosts.green.home, 'app')}`, `dir: ${path.join(scratch, 'no-such-checkout')}`).replace('pm2: demo-blue', 'pm2: demo-bleu')));
    assert.deepEqual(r.setup.filter((f) => f.severity !== 'info').map(brief), ['BLUE lab-blue: pm2-process-missing', 'GREEN lab-green: checkout-missing']);
    const pm2 = r.setup.find((f) => f.id === 'pm2-process-missing')!;
    assert.match(pm2.why, /pm2 runs demo-blue there, and a deploy restarts demo-bleu/);
    assert.match(pm2.byHand!, /set pm2: to the app's process/);
    assert.match(r.setup.find((f) => f.id === 'checkout-missing')!.byHand!, /git clone REPOSITORY .*no-such-checkout/);
    assert.equal(r.problems, 2);
  });

  it('a reload that asks for a password (sudo without NOPASSWD), a git remote the checkouts do not have, and a state folder that cannot be made', async () => {
    // As root here, sudo never asks: this one answers as sudo does for a user without a NOPASSWD rule.
    const sudo = path.join(scratch, 'sudo');
    writeFileSync(sudo, '#!/bin/sh\nfor a; do [ "$a" = -n ] && { echo "sudo: a password is required" >&2; exit 1; }; done\nprintf "[sudo] password for %s: " "$(id -un)" >&2\nread -r _ || exit 1\n');
    chmodSync(sudo, 0o755);
    const blocked = path.join(scratch, 'readonly');
    mkdirSync(blocked, { mode: 0o500 });
    writeFileSync(path.join(blocked, 'a-file'), '');
    const r = await run(
      config((y) =>
        y
          .replace(/reload: (.*)/, `reload: ${sudo} $1`)
          .replace(/stateFile: .*/, `stateFile: ${path.join(blocked, 'a-file', 'state.json')}`)
          .replace('    deploy:\n', '    deploy:\n      remote: nowhere\n'),
      ),
    );
    const ids = r.setup.filter((f) => f.severity !== 'info').map(brief);
    assert.ok(ids.includes('load balancer lab-lb: sudo-password'), r.shown);
    assert.ok(ids.includes('load balancer lab-lb: state-folder'), r.shown);
    assert.deepEqual(ids.filter((i) => i.endsWith('remote-missing')), ['BLUE lab-blue: remote-missing', 'GREEN lab-green: remote-missing']);
    assert.match(r.setup.find((f) => f.id === 'sudo-password')!.why, /-n true failed \(sudo: a password is required\)/);
  });
});
