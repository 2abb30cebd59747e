import { CONFIG_FILE_NAME, loadConfigFile } from '../core/config/load';
import { errorMessage, isBlueGreenError } from '../core/errors';

const USAGE = `usage: bluegreen [--config FILE] <command>

commands:
  validate        check ${CONFIG_FILE_NAME} and print every problem with file:line:col

exit codes: 0 success, 1 the operation failed or was refused, 2 bad usage`;

interface Args {
  config: string;
  command?: string;
  rest: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { config: CONFIG_FILE_NAME, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') {
      const value = argv[++i];
      if (!value) throw new UsageError('--config needs a file');
      args.config = value;
    } else if (a.startsWith('--config=')) {
      args.config = a.slice('--config='.length);
    } else if (!args.command && !a.startsWith('-')) {
      args.command = a;
    } else {
      args.rest.push(a);
    }
  }
  return args;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command || args.command === 'help' || args.rest.includes('--help')) {
    console.log(USAGE);
    return args.command ? 0 : 2;
  }
  switch (args.command) {
    case 'validate': {
      const config = await loadConfigFile(args.config);
      console.log(`${config.file}: ok (${config.apps.map((a) => a.name).join(', ')})`);
      return 0;
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
