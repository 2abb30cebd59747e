// Beside the config, not in ssh/: the runner knows nothing of bluegreen.yaml, and the config
// (its scaffold reads ~/.ssh/config) sits above it.
import { SshPrompts } from '../ssh/runner';
import { Ssh2Runner } from '../ssh/ssh2Runner';
import { Config, SshSettings } from './types';

/** The schema's defaults for `ssh:` (a unit test holds them to schema/bluegreen.schema.json), for a runner before any config exists. */
export const SSH_DEFAULTS = { connectTimeoutMs: 15000, commandTimeoutMs: 900000, keepaliveIntervalMs: 5000 } as const;

export function createRunner(config: Config, prompts: SshPrompts): Ssh2Runner {
  return createSshRunner(config.ssh, prompts);
}

/** `bluegreen init`'s runner: the ssh_config given, every other setting the schema's default. */
export function createSshRunner(ssh: Partial<SshSettings>, prompts: SshPrompts): Ssh2Runner {
  const settings = { ...SSH_DEFAULTS, ...ssh };
  return new Ssh2Runner({
    sshConfigFile: settings.config,
    knownHostsFile: settings.knownHosts,
    connectTimeoutMs: settings.connectTimeoutMs,
    keepaliveIntervalMs: settings.keepaliveIntervalMs,
    commandTimeoutMs: settings.commandTimeoutMs,
    prompts,
  });
}
