import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LabInfo } from '../lab/lab';
import { canConnect, startDetached, stopPids, waitFor } from '../lab/processes';
import { AppConfig, ServerConfig } from '../src/core/config/types';
import { CommandRunner } from '../src/core/ssh/runner';
import { probeServer } from '../src/core/status/probeServer';

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

/** The lab's BLUE server, as seen through one of the extra hosts (they share its home and pm2). */
function blueOn(app: AppConfig, host: string): ServerConfig {
  return { ...app.slots.blue.servers[0], ssh: host };
}

/** The status refresh's slot probe (git, package.json, pm2) on every host at once, over pooled connections. */
export async function probeHostsPooled(runner: CommandRunner, hosts: string[], app: AppConfig): Promise<void> {
  const answers = await Promise.all(hosts.map((h) => probeServer(runner, blueOn(app, h))));
  const failed = answers.find((a) => !a.reachable || !a.commit || a.pm2?.status !== 'online');
  if (failed) throw new Error(`the slot probe did not answer in full: ${JSON.stringify(failed)}`);
}

/** The same probe script as a cold refresh sends, one `ssh host sh -s` after another. */
export async function probeHostsOpenSsh(sshConfig: string, hosts: string[], app: AppConfig): Promise<void> {
  const scripts: string[] = [];
  const recorder: CommandRunner = {
    run: async (_host, script) => {
      scripts.push(script);
      return { code: 0, stdout: '', stderr: '' };
    },
    httpGet: () => Promise.reject(new Error('not used')),
    askUnixSocket: () => Promise.reject(new Error('not used')),
    warm: () => undefined,
    whereIs: async (host) => host.ssh,
    dispose: () => undefined,
  };
  await probeServer(recorder, app.slots.blue.servers[0]);
  for (const h of hosts) {
    await new Promise<void>((resolve, reject) => {
      const child = execFile('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', h, 'sh -s'], (e) => (e ? reject(e) : resolve()));
      child.stdin?.end(scripts[0]);
    });
  }
}
