import { HostRef } from './runner';

/**
 * The person's own `ssh` to a host as bluegreen.yaml names it: an ssh_config alias as is (so
 * their agent, keys, ProxyJump and User apply), `user@host:port` as `-p port user@host`, with
 * `-F` when bluegreen.yaml names an ssh_config of its own. `--` ends the options: the host
 * cannot be read as one. Nothing runs on the host but the login shell.
 */
export function sshTerminalArgs(host: HostRef, sshConfigFile?: string): string[] {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.ssh);
  if (!m) throw new Error(`"${host.ssh}" is not an ssh alias or user@host[:port]`);
  const [, user, name, port] = m;
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  return [...(sshConfigFile ? ['-F', sshConfigFile] : []), ...(port ? ['-p', port] : []), '--', user ? `${user}@${bare}` : bare];
}
