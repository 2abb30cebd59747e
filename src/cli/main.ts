import { CONFIG_FILE_NAME, loadConfigFile } from '../core/config/load';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { createRunner } from '../core/ssh/fromConfig';
import { statusCommand } from './commands/status';
import { cliPrompts } from './prompts';

const USAGE = `usage: bluegreen [--config FILE] <command> [options]

commands:
  status [--json]   which slot is LIVE, health, version and commit of each, drift
  validate          check ${CONFIG_FILE_NAME} and print every problem with file:line:col

options:
  --config FILE                 default: ./${CONFIG_FILE_NAME}
  --accept-host-key SHA256:…    trust this (unknown) host key fingerprint for this run

exit codes: 0 success, 1 failed, refused or (status) something needs attention, 2 bad usage`;

class UsageError extends Error {}

interface Args {
  config: string;
  command?: string;
  flags: Set<string>;
  hostKeys: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { config: CONFIG_FILE_NAME, flags: new Set(), hostKeys: [] };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (!v || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') args.config = value(++i, a);
    else if (a === '--accept-host-key') args.hostKeys.push(value(++i, a));
    else if (a.startsWith('--')) args.flags.add(a);
    else if (!args.command) args.command = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  return args;
}

function allowOnly(args: Args, allowed: string[]): void {
  for (const f of args.flags) if (!allowed.includes(f)) throw new UsageError(`${args.command} does not take ${f}`);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command || args.command === 'help' || args.flags.has('--help')) {
    console.log(USAGE);
    return args.command ? 0 : 2;
  }
  const config = await loadConfigFile(args.config);
  switch (args.command) {
    case 'validate':
      allowOnly(args, []);
      console.log(`${config.file}: ok (${config.apps.map((a) => a.name).join(', ')})`);
      return 0;
    case 'status': {
      allowOnly(args, ['--json']);
      const runner = createRunner(config, cliPrompts(args.hostKeys));
      try {
        return await statusCommand(runner, config, args.flags.has('--json'));
      } finally {
        runner.dispose();
      }
    }
    default:
      throw new UsageError(`unknown command "${args.command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`bluegreen: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Config problems are one per line (file:line:col); everything else is one line.
    console.error(isBlueGreenError(e, 'config-invalid') ? errorMessage(e) : `bluegreen: ${errorMessage(e)}`);
    process.exit(1);
  },
);
