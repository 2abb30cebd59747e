import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LabInfo } from '../lab/lab';
import { canConnect, startDetached, stopPids, waitFor } from '../lab/processes';
import { CommandRunner } from '../src/core/ssh/runner';
import { shQuote } from '../src/core/shell';

const run = promisify(execFile);

/** `n` more sshd hosts on 127.77.1.x, sharing one host key, for the scaling figures. */
export async function extraHosts(lab: LabInfo, n: number): Promise<{ hosts: string[]; sshConfig: string; stop(): Promise<void> }> {
  const dir = path.join(lab.dir, 'bench-hosts');
  mkdirSync(dir, { recursive: true });
  const key = path.join(dir, 'ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).catch(() => undefined);
  const pub = readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const known: string[] = [];
  const config: string[] = [];
  const pids: number[] = [];
  const hosts: string[] = [];
  const template = readFileSync(path.join(lab.hosts.blue.home, 'sshd_config'), 'utf8');
  for (let i = 1; i <= n; i++) {
    const address = `127.77.1.${i}`;
    const cfg = path.join(dir, `sshd_${i}.conf`);
    writeFileSync(
      cfg,
      template
        .replace(/^ListenAddress .*$/m, `ListenAddress ${address}:2222`)
        .replace(/^HostKey .*$/m, `HostKey ${key}`)
        .replace(/^PidFile .*$/m, `PidFile ${path.join(dir, `sshd_${i}.pid`)}`),
    );
    pids.push(startDetached('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], path.join(dir, `sshd_${i}.log`)).pid!);
    known.push(`[${address}]:2222 ${pub}`);
    config.push(`Host bench-${i}`, `  HostName ${address}`, '  Port 2222', `  IdentityFile ${lab.clientKey}`, '  IdentitiesOnly yes', '  IdentityAgent none', `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`, '  StrictHostKeyChecking yes', '');
    hosts.push(`bench-${i}`);
  }
  writeFileSync(path.join(dir, 'known_hosts'), known.join('\n') + '\n');
  const sshConfig = path.join(dir, 'ssh_config');
  writeFileSync(sshConfig, config.join('\n'));
  for (let i = 1; i <= n; i++) await waitFor(`bench sshd ${i}`, () => canConnect(`127.77.1.${i}`, 2222));
  return { hosts, sshConfig, stop: () => stopPids(pids) };
}

function probeScript(lab: LabInfo): string {
  return `cd ${shQuote(path.join(lab.hosts.blue.home, 'app'))} && git rev-parse HEAD && cat package.json`;
}

export async function probeHostsPooled(runner: CommandRunner, hosts: string[], lab: LabInfo): Promise<void> {
  await Promise.all(hosts.map((h) => runner.run({ ssh: h }, probeScript(lab), { probe: true })));
}

export async function probeHostsOpenSsh(sshConfig: string, hosts: string[], lab: LabInfo): Promise<void> {
  for (const h of hosts) await run('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', h, probeScript(lab)]);
}
