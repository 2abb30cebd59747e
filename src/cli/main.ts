import * as path from 'node:path';
import { OPTIONS, parseCliArgs, serverConfigFile, UsageError } from '../bin/args';
import { exitWith } from '../bin/exit';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { loadConfigFile } from '../core/config/load';
import { pickApp } from '../core/config/pickApp';
import { createRunner } from '../core/config/sshRunner';
import { emergencyReason } from '../core/plan/confirm';
import { redact } from '../core/redact';
import { printOut } from '../core/stdio';
import { whoAmI } from '../core/workflows/parts/who';
import { CLI_COMMANDS, CLI_SERVERS } from './commands';
import { terminalConfirm } from './confirm';
import { cliPrompts } from './prompts';
import { stderrReporter } from './reporter';

function usage(): string {
  const commands = Object.entries({ ...CLI_COMMANDS, ...CLI_SERVERS }).map(([name, c]) => {
    const head = `  ${name}${c.synopsis ? ` ${c.synopsis}` : ''}`;
    return head.length < 40 ? `${head.padEnd(40)} ${c.summary}` : `${head}\n${' '.repeat(41)}${c.summary}`;
  });
  const options = Object.entries(OPTIONS).map(([name, o]) => `  ${`--${name}${'value' in o ? ` ${o.value}` : ''}`.padEnd(30)} ${o.help}`);
  return [
    'usage: bluegreen [--config FILE] [--app NAME] <command> [options]',
    '',
    'commands:',
    ...commands,
    '',
    'options:',
    ...options,
    `  ${'BLUEGREEN_KEY_PASSPHRASE'.padEnd(30)} environment: passphrase for an encrypted key`,
    '',
    'exit codes: 0 success; 1 failed (the message says what state the system is in);',
    '            2 bad usage; 3 refused by a safety check (nothing changed); 4 locked by',
    '            another operation; 5 not confirmed. status: 1 when something needs attention.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (!args.command || args.command === 'help' || args.values.help) {
    printOut(redact(usage()));
    // Asked for (help, --help) it is an answer; no command at all is a usage error.
    return args.command || args.values.help ? 0 : 2;
  }
  if (CLI_SERVERS[args.command]) {
    // The launcher starts these in their own bundle. One reaches this bundle only when the
    // launcher's scan took an option's value for the command, and that option is refused here.
    serverConfigFile(args, args.command);
    throw new UsageError(`${args.command} is started by the bluegreen launcher (dist/cli.js)`);
  }
  const command = CLI_COMMANDS[args.command];
  if (!command) throw new UsageError(`unknown command "${args.command}"`);
  for (const option of args.given) if (option !== 'config' && option !== 'accept-host-key' && !command.options.includes(option)) throw new UsageError(`${args.command} does not take --${option}`);
  if (!command.takesArguments && args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const { values } = args;
  if (values.reason !== undefined && !values.emergency && !values['skip-staging']) throw new UsageError('--reason goes with --emergency or --skip-staging');
  if (values['skip-staging'] && values.yes && emergencyReason(values.reason) === undefined) throw new UsageError('a deploy with --skip-staging and --yes needs --reason TEXT (it is recorded in the history)');
  if (values.emergency && values.yes && emergencyReason(values.reason) === undefined) throw new UsageError('an emergency release with --yes needs --reason TEXT (it is recorded in the history)');
  if (command.withoutConfig) return command.run(args);

  let config = await loadConfigFile(values.config ?? CONFIG_FILE_NAME);
  if (values.app) config = { ...config, apps: [pickApp(config, values.app)] };
  const runner = createRunner(config, cliPrompts(values['accept-host-key'] ?? []));
  const controller = new AbortController();
  // Ctrl-C cancels the running step (its remote processes are killed), then the lock is freed.
  process.once('SIGINT', () => controller.abort());
  try {
    return await command.run({
      args,
      config,
      runner,
      operation: () => ({
        runner,
        app: pickApp(config),
        reporter: stderrReporter(),
        confirm: terminalConfirm({ yes: values.yes ?? false, reason: values.reason }),
        who: whoAmI(),
        signal: controller.signal,
        workspace: path.dirname(config.file),
      }),
    });
  } finally {
    runner.dispose();
  }
}

/** Called by the `bluegreen` launcher (dist/cli.js). */
export function run(argv: string[]): void {
  exitWith(main(argv), usage);
}
