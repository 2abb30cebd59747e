import { Config } from '../config/types';
import { SshPrompts } from './runner';
import { Ssh2Runner } from './ssh2Runner';

export function createRunner(config: Config, prompts: SshPrompts): Ssh2Runner {
  return new Ssh2Runner({
    sshConfigFile: config.ssh.config,
    knownHostsFile: config.ssh.knownHosts,
    connectTimeoutMs: config.ssh.connectTimeoutMs,
    keepaliveIntervalMs: config.ssh.keepaliveIntervalMs,
    commandTimeoutMs: config.ssh.commandTimeoutMs,
    prompts,
  });
}
