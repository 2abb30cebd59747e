import * as path from 'node:path';
import { CONFIG_FILE_NAME, loadConfigFile } from '../core/config/load';
import { AppConfig, Config } from '../core/config/types';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { chooseDefaultRef } from '../core/git/localHead';
import { createRunner } from '../core/ssh/fromConfig';
import { CommandRunner } from '../core/ssh/runner';
import { slotLabel } from '../core/status/snapshot';
import { deploy } from '../core/workflows/deploy';
import { OperationContext, WorkflowError } from '../core/workflows/operation';
import { preApproved } from '../core/workflows/confirm';
import { commitTagPush, planBump, writeBump } from '../core/git/bump';
import { reconcile } from '../core/workflows/reconcile';
import { release } from '../core/workflows/release';
import { sync } from '../core/workflows/sync';
import { whoAmI } from '../core/workflows/who';
import { statusCommand } from './commands/status';
import { NotConfirmableError, terminalConfirm } from './confirm';
import { cliPrompts } from './prompts';
import { stderrReporter } from './reporter';

const USAGE = `usage: bluegreen [--config FILE] [--app NAME] <command> [options]

commands:
  status [--json]                        which slot is LIVE; health, version, commit of each; drift
  deploy [--ref REF] [--migrate] [--yes] build and start REF on the STANDBY slot (LIVE is never touched)
  release [--yes] [--emergency --reason TEXT]
                                         switch traffic to STANDBY after it passes health
  rollback [--yes]                       switch traffic back to the previous LIVE
  sync [--yes]                           bring STANDBY to LIVE's exact commit
  bump patch|minor|major [--yes]         raise the version, draft release-notes/vX.Y.Z.md, commit,
                                         tag, push, then deploy the tag to STANDBY
  reconcile [--yes]                      rewrite the state file to agree with HAProxy (traffic untouched)
  validate                               check ${CONFIG_FILE_NAME}; every problem with file:line:col

options:
  --config FILE                 default: ./${CONFIG_FILE_NAME}
  --app NAME                    which app, when the file has several
  --yes                         confirm without asking (for CI); without it, the terminal asks
  --accept-host-key SHA256:…    trust this unknown host key fingerprint for this run
  BLUEGREEN_KEY_PASSPHRASE      environment: passphrase for an encrypted key

exit codes: 0 success; 1 failed (the message says what state the system is in);
            2 bad usage; 3 refused by a safety check (nothing changed); 4 locked by
            another operation; 5 not confirmed. status: 1 when something needs attention.`;

class UsageError extends Error {}

interface Args {
  config: string;
  command?: string;
  flags: Set<string>;
  values: Map<string, string>;
  hostKeys: string[];
  level?: string;
}

const VALUE_OPTIONS = new Set(['--config', '--app', '--ref', '--reason']);

function parseArgs(argv: string[]): Args {
  const args: Args = { config: CONFIG_FILE_NAME, flags: new Set(), values: new Map(), hostKeys: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takesValue = VALUE_OPTIONS.has(a) || a === '--accept-host-key';
    if (takesValue) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      if (a === '--accept-host-key') args.hostKeys.push(v);
      else if (a === '--config') args.config = v;
      else args.values.set(a, v);
    } else if (a.startsWith('--')) args.flags.add(a);
    else if (!args.command) args.command = a;
    else if (args.command === 'bump' && !args.level) args.level = a;
    else throw new UsageError(`unexpected argument "${a}"`);
  }
  return args;
}

const ALLOWED: Record<string, string[]> = {
  validate: [],
  status: ['--json', '--app'],
  deploy: ['--ref', '--migrate', '--yes', '--app'],
  release: ['--yes', '--emergency', '--reason', '--app'],
  rollback: ['--yes', '--app'],
  sync: ['--yes', '--app'],
  reconcile: ['--yes', '--app'],
  bump: ['--yes', '--app'],
};

function pickApp(config: Config, name?: string): AppConfig {
  if (name) {
    const app = config.apps.find((a) => a.name === name);
    if (!app) throw new UsageError(`no app "${name}" in ${config.file} (apps: ${config.apps.map((a) => a.name).join(', ')})`);
    return app;
  }
  if (config.apps.length > 1) throw new UsageError(`${config.file} has several apps; pick one with --app (${config.apps.map((a) => a.name).join(', ')})`);
  return config.apps[0];
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command || args.command === 'help' || args.flags.has('--help')) {
    console.log(USAGE);
    return args.command ? 0 : 2;
  }
  const allowed = ALLOWED[args.command];
  if (!allowed) throw new UsageError(`unknown command "${args.command}"`);
  for (const f of [...args.flags, ...args.values.keys()]) if (!allowed.includes(f)) throw new UsageError(`${args.command} does not take ${f}`);
  if (args.values.has('--reason') && !args.flags.has('--emergency')) throw new UsageError('--reason goes with --emergency');
  if (args.flags.has('--emergency') && args.flags.has('--yes') && !args.values.get('--reason')?.trim()) throw new UsageError('an emergency release with --yes needs --reason TEXT (it is recorded in the history)');

  let config = await loadConfigFile(args.config);
  if (args.command === 'validate') {
    console.log(`${config.file}: ok (${config.apps.map((a) => a.name).join(', ')})`);
    return 0;
  }
  if (args.values.has('--app')) config = { ...config, apps: [pickApp(config, args.values.get('--app'))] };
  const runner = createRunner(config, cliPrompts(args.hostKeys));
  try {
    if (args.command === 'status') return await statusCommand(runner, config, args.flags.has('--json'));
    return await operate(args, config, runner);
  } finally {
    runner.dispose();
  }
}

async function operate(args: Args, config: Config, runner: CommandRunner): Promise<number> {
  const app = pickApp(config);
  const reporter = stderrReporter();
  const controller = new AbortController();
  // Ctrl-C cancels the running step (its remote processes are killed), then the lock is freed.
  process.once('SIGINT', () => controller.abort());
  const ctx: OperationContext = {
    runner,
    app,
    reporter,
    confirm: terminalConfirm({ yes: args.flags.has('--yes'), reason: args.values.get('--reason') }),
    who: whoAmI(),
    signal: controller.signal,
  };
  switch (args.command) {
    case 'deploy': {
      let ref = args.values.get('--ref');
      if (!ref) {
        const choice = await chooseDefaultRef(path.dirname(config.file), app.deploy.branch);
        choice.notes.forEach((n) => reporter.info(n));
        ref = choice.ref;
      }
      const r = await deploy(ctx, { ref, migrate: args.flags.has('--migrate') });
      console.log(`deployed ${r.commit.slice(0, 7)}${r.version ? ` (v${r.version})` : ''} to ${slotLabel(r.slot)} (STANDBY); LIVE is ${slotLabel(r.live)}`);
      return 0;
    }
    case 'release':
    case 'rollback': {
      const r = await release(ctx, { kind: args.command, emergency: args.flags.has('--emergency') });
      console.log(`${slotLabel(r.to)} is LIVE (was ${slotLabel(r.from)}); switched in ${r.switchMs} ms${r.stateWritten ? '' : '; WARNING: the state file was not updated'}`);
      return r.stateWritten ? 0 : 1;
    }
    case 'sync': {
      const r = await sync(ctx);
      console.log(`${slotLabel(r.slot)} (STANDBY) now runs LIVE's commit ${r.commit.slice(0, 7)}${r.version ? ` (v${r.version})` : ''}`);
      return 0;
    }
    case 'bump': {
      if (args.level !== 'patch' && args.level !== 'minor' && args.level !== 'major') throw new UsageError('bump needs patch, minor or major');
      const workspace = path.dirname(config.file);
      const plan = await planBump(workspace, args.level, app.deploy.remote);
      const answer = await ctx.confirm.confirm({
        title: `Release ${plan.tag} (${plan.from} → ${plan.to}) and deploy it to STANDBY?`,
        detail: `${plan.commits.length} commit(s) since ${plan.previousTag ?? 'the start'}:\n${plan.commits.slice(0, 20).join('\n')}\nrelease-notes/${plan.tag}.md is drafted from them; ${plan.tag} is committed, tagged and pushed to ${plan.remote}.`,
        action: 'Release',
      });
      if (!answer.ok) throw new WorkflowError('declined', 'Bump', undefined, 'not confirmed', 'Nothing was changed.');
      await writeBump(plan);
      const commit = await commitTagPush(plan);
      reporter.info(`${plan.tag} is ${commit.slice(0, 7)} on ${plan.remote}; notes in ${path.relative(workspace, plan.notesFile)}`);
      const r = await deploy({ ...ctx, confirm: preApproved() }, { ref: plan.tag });
      console.log(`released ${plan.tag} (${commit.slice(0, 7)}) and deployed it to ${slotLabel(r.slot)} (STANDBY); LIVE is ${slotLabel(r.live)}`);
      return 0;
    }
    case 'reconcile': {
      const r = await reconcile(ctx);
      console.log(r.changed ? `the state file now says ${slotLabel(r.live)} is LIVE` : `the state file already agrees: ${slotLabel(r.live)} is LIVE`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${args.command}"`);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof NotConfirmableError || isBlueGreenError(e, 'declined')) return 5;
  if (isBlueGreenError(e, 'locked')) return 4;
  if (isBlueGreenError(e, 'refused') || isBlueGreenError(e, 'unsafe-value')) return 3;
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`bluegreen: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Config problems are one per line (file:line:col); everything else is one line.
    console.error(isBlueGreenError(e, 'config-invalid') ? errorMessage(e) : `bluegreen: ${errorMessage(e).replace(/\n/g, ' ')}`);
    process.exit(exitCodeOf(e));
  },
);
