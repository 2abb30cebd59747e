import { REFUSE_PROMPTS, SshPrompts } from '../../src/core/ssh/runner';
import { Ssh2Runner, Ssh2RunnerOptions } from '../../src/core/ssh/ssh2Runner';
import { lab } from './setup';

export function labRunner(overrides: Partial<Ssh2RunnerOptions> & { prompts?: SshPrompts } = {}): Ssh2Runner {
  return new Ssh2Runner({
    sshConfigFile: lab().sshConfig,
    connectTimeoutMs: 5000,
    keepaliveIntervalMs: 2000,
    commandTimeoutMs: 30000,
    prompts: REFUSE_PROMPTS,
    ...overrides,
  });
}

export const BLUE = { ssh: 'lab-blue' } as const;
export const LB = { ssh: 'lab-lb' } as const;
