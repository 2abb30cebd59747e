// Beside the config, not in ssh/: the runner knows nothing of bluegreen.yaml, and the config
// (its scaffold reads ~/.ssh/config) sits above it.
import { SshPrompts } from '../ssh/runner';
import { Ssh2Runner } from '../ssh/ssh2Runner';
import { Config } from './types';

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
