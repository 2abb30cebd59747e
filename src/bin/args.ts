import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { BlueGreenError } from '../core/errors';

export class UsageError extends BlueGreenError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Every option the CLI knows; each command names the ones it takes. */
export const OPTIONS = {
  config: { type: 'string', value: 'FILE', help: `default: ./${CONFIG_FILE_NAME}` },
  app: { type: 'string', value: 'NAME', help: 'which app, when the file (for init: the load balancer) has several' },
  yes: { type: 'boolean', help: 'confirm without asking (for CI); without it, the terminal asks' },
  json: { type: 'boolean', help: 'print the status as JSON (the Snapshot)' },
  ref: { type: 'string', value: 'REF', help: 'branch, tag or commit to deploy' },
  to: { type: 'string', value: 'staging', help: "deploy: to the app's staging servers instead of STANDBY" },
  migrate: { type: 'boolean', help: 'run the configured migrations during the deploy' },
  emergency: { type: 'boolean', help: 'skip the health gate (needs --reason; recorded)' },
  reason: { type: 'string', value: 'TEXT', help: 'why, for an emergency release, a deploy that skips staging or a LIVE restart' },
  'skip-staging': { type: 'boolean', help: 'deploy: go past staging.required for a commit staging did not pass (needs --reason; recorded)' },
  'allow-unsafe-migrations': { type: 'boolean', help: 'go ahead although migrations break a rollback (recorded)' },
  abort: { type: 'boolean', help: 'canary: remove the canary rule, every client back on LIVE' },
  'route-back': { type: 'boolean', help: "reconcile: switch traffic back to the state file's LIVE instead" },
  follow: { type: 'boolean', help: "staging: deploy the branch's tip whenever it moves, until Ctrl-C; logs: keep printing new lines" },
  slot: { type: 'string', value: 'SLOT', help: 'logs: blue, green, standby (default), live, or lb (HAProxy\'s log)' },
  lines: { type: 'string', value: 'N', help: 'logs: the last N lines of each log (default 100)' },
  filter: { type: 'string', value: 'TEXT', help: 'logs: only lines holding TEXT' },
  since: { type: 'string', value: 'WHEN', help: 'logs: only lines written since WHEN: 15m, 2h, 1d, or a time (2026-12-05T07:00)' },
  interval: { type: 'string', value: 'S', help: 'staging --follow: seconds between checks of the branch (5-3600, default 30)' },
  once: { type: 'boolean', help: 'staging --follow: one check (deploy when the branch moved), then exit' },
  stop: { type: 'boolean', help: 'watch: stop the watch (whoever runs it) instead of resuming it' },
  fix: { type: 'boolean', help: 'doctor: add the missing lines (asks first, unless --yes)' },
  'ssh-config': { type: 'string', value: 'FILE', help: 'init: the ssh_config whose aliases to use (default ~/.ssh/config)' },
  'haproxy-config': { type: 'string', value: 'FILE', help: 'init: the haproxy.cfg to read on the LB (default: the one its running HAProxy loads)' },
  'accept-host-key': { type: 'string', multiple: true, value: 'SHA256:…', help: 'trust this unknown host key fingerprint for this run' },
  help: { type: 'boolean', help: 'this text' },
} as const;

export type OptionName = keyof typeof OPTIONS;

export interface ParsedArgs {
  command?: string;
  positionals: string[];
  values: { config?: string; app?: string; yes?: boolean; json?: boolean; ref?: string; to?: string; migrate?: boolean; emergency?: boolean; reason?: string; fix?: boolean; stop?: boolean; follow?: boolean; interval?: string; once?: boolean; abort?: boolean; 'route-back'?: boolean; 'allow-unsafe-migrations'?: boolean; 'skip-staging'?: boolean; 'ssh-config'?: string; slot?: string; lines?: string; filter?: string; since?: string; 'haproxy-config'?: string; 'accept-host-key'?: string[]; help?: boolean };
  given: OptionName[];
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // parseArgs's own sentence names the option; it is what the person needs to read.
    throw new UsageError((e as Error).message);
  }
  const given = [...new Set(parsed.tokens.filter((t) => t.kind === 'option').map((t) => t.name as OptionName))];
  const [command, ...positionals] = parsed.positionals;
  return { command, positionals, values: parsed.values, given };
}

/**
 * The config file for a command that serves until its client leaves (mcp), which takes it and
 * nothing else. `name` is the command the launcher started, whatever the parser took for one.
 */
export function serverConfigFile(args: ParsedArgs, name: string): string {
  for (const option of args.given) if (option !== 'config') throw new UsageError(`${name} does not take --${option}`);
  if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  return args.values.config ?? CONFIG_FILE_NAME;
}
