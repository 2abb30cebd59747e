import * as path from 'node:path';
import { OptionName, ParsedArgs, UsageError } from '../bin/args';
import { CONFIG_FILE_NAME } from '../core/config/fileName';
import { Config } from '../core/config/types';
import { BumpLevel } from '../core/git/bump';
import { chooseDefaultRef } from '../core/git/localHead';
import { CommandRunner } from '../core/ssh/runner';
import { snapshotApp, takeSnapshot } from '../core/status/refresh';
import { smokeFailures } from '../core/status/smoke';
import { severity } from '../core/status/snapshot';
import { bump } from '../core/workflows/bump';
import { deploy } from '../core/workflows/deploy';
import { deployToStaging } from '../core/workflows/deployToStaging';
import { promote } from '../core/workflows/promote';
import { doctor } from '../core/workflows/doctor';
import { OperationContext } from '../core/workflows/parts/operation';
import { reconcile } from '../core/workflows/reconcile';
import { release } from '../core/workflows/release';
import { resumeWatch, stopWatch } from '../core/workflows/watch';
import { canary } from '../core/workflows/canary';
import { UnsafeMigrationPolicy } from '../core/plan/types';
import { sync } from '../core/workflows/sync';
import { restart } from '../core/workflows/restart';
import { renderSmoke, renderSnapshot } from './render';
import { terminalConfirm } from './confirm';
import { initCommand } from './init';
import { logsCommand } from './logs';
import { stagingCommand } from './staging';
import { allowedCommandsFile, allowedFor, commandsHash, commandsText, recordAllowed } from '../core/agent/allowedCommands';
import { allowRequest } from '../core/agent/commandsGate';
import { BlueGreenError } from '../core/errors';
import { redact, redactedJson } from '../core/redact';
import { printOut } from '../core/stdio';

/** What a command gets: the parsed arguments, the config, and (for those that act) a context. */
export interface CliRun {
  args: ParsedArgs;
  config: Config;
  runner: CommandRunner;
  /** The context for a workflow on the one app picked (--app, or the only one). */
  operation(): OperationContext;
}

export interface CliCommand {
  /** What follows the command name in the usage text. */
  synopsis: string;
  summary: string;
  options: OptionName[];
  /** validate needs no SSH. */
  offline?: boolean;
  /** It reads words after its name (bump's level, canary's share); the others refuse any. */
  takesArguments?: boolean;
  withoutConfig?: false;
  run(c: CliRun): Promise<number>;
}

/** A command that runs before there is a config (init writes one): it gets the arguments alone. */
export interface CliSetupCommand {
  synopsis: string;
  summary: string;
  options: OptionName[];
  takesArguments: true;
  withoutConfig: true;
  run(args: ParsedArgs): Promise<number>;
}

/** A command that serves until its client leaves (mcp): it takes the config file and nothing else. */
export interface CliServer {
  synopsis: string;
  summary: string;
}

const BUMP_LEVELS: readonly BumpLevel[] = ['patch', 'minor', 'major'];

/** The one table: usage text, accepted options and dispatch all come from it. */
export const CLI_COMMANDS: Record<string, CliCommand | CliSetupCommand> = {
  init: {
    synopsis: '[LB] [--app NAME] [--ssh-config FILE] [--haproxy-config FILE]',
    summary: `write ${CONFIG_FILE_NAME} from the load balancer's haproxy.cfg and the\n` + ' '.repeat(41) + "slot hosts' pm2 processes (read over SSH; nothing changed)",
    options: ['app', 'ssh-config', 'haproxy-config'],
    takesArguments: true,
    withoutConfig: true,
    run: initCommand,
  },
  status: {
    synopsis: '[--json]',
    summary: 'which slot is LIVE; health, version, commit of each; drift',
    options: ['json', 'app'],
    async run({ args, config, runner }) {
      const snapshot = await takeSnapshot(runner, config);
      printOut(args.values.json ? redactedJson(snapshot, 2) : redact(renderSnapshot(snapshot)));
      return snapshot.apps.every((a) => severity(a) === 'ok') ? 0 : 1;
    },
  },
  deploy: {
    synopsis: '[--to staging] [--ref REF] [--migrate [--allow-unsafe-migrations]] [--skip-staging --reason TEXT] [--yes]',
    summary: 'build and start REF on the STANDBY slot (LIVE is never touched),\n' + ' '.repeat(41) + 'or with --to staging on the staging servers (exit 1 when it fails)',
    options: ['to', 'ref', 'migrate', 'allow-unsafe-migrations', 'skip-staging', 'reason', 'yes', 'app'],
    async run(c) {
      const to = c.args.values.to;
      if (to !== undefined && to !== 'staging') throw new UsageError(`--to takes staging (a deploy without it goes to STANDBY), not "${to}"`);
      const ctx = c.operation();
      if (to === 'staging') {
        if (c.args.values['allow-unsafe-migrations']) throw new UsageError('--allow-unsafe-migrations is for STANDBY, whose migrations run on the database LIVE uses; not with --to staging');
        if (c.args.values['skip-staging']) throw new UsageError('--skip-staging is for a deploy to STANDBY; not with --to staging');
        const r = await deployToStaging(ctx, { ref: c.args.values.ref, migrate: c.args.values.migrate });
        printOut(redact(r.summary));
        return r.passed ? 0 : 1;
      }
      let ref = c.args.values.ref;
      if (!ref) {
        const choice = await chooseDefaultRef(path.dirname(c.config.file), ctx.app.deploy.branch);
        choice.notes.forEach((n) => ctx.reporter.info(n));
        ref = choice.ref;
      }
      const r = await deploy(ctx, { ref, migrate: c.args.values.migrate, unsafeMigrations: unsafeMigrationPolicy(c), skipStaging: c.args.values['skip-staging'] });
      printOut(redact(r.summary));
      // Deployed, but not releasable: scripts gating a release on the deploy must see it.
      return r.smokeFailed ? 1 : 0;
    },
  },
  promote: {
    synopsis: '[--ref COMMIT] [--yes]',
    summary: "deploy to STANDBY exactly the commit staging passed (its last\n" + ' '.repeat(41) + 'deploy, or COMMIT); refused when it failed there',
    options: ['ref', 'yes', 'app'],
    async run(c) {
      const r = await promote(c.operation(), { commit: c.args.values.ref });
      printOut(redact(r.summary));
      return r.smokeFailed ? 1 : 0;
    },
  },
  staging: {
    synopsis: '[--follow [--interval S] [--once]]',
    summary: "what staging runs and where its branch is; --follow deploys the\n" + ' '.repeat(41) + "branch's tip to staging whenever it moves, until Ctrl-C",
    options: ['follow', 'interval', 'once', 'app'],
    run: stagingCommand,
  },
  release: {
    synopsis: '[--yes] [--emergency --reason TEXT] [--allow-unsafe-migrations]',
    summary: 'switch traffic to STANDBY after it passes health',
    options: ['yes', 'emergency', 'reason', 'allow-unsafe-migrations', 'app'],
    run: (c) => switchTraffic(c, 'release'),
  },
  rollback: {
    synopsis: '[--yes]',
    summary: 'switch traffic back to the previous LIVE',
    options: ['yes', 'app'],
    run: (c) => switchTraffic(c, 'rollback'),
  },
  sync: {
    synopsis: '[--yes]',
    summary: "bring STANDBY to LIVE's exact commit",
    options: ['yes', 'app'],
    run: (c) => printSummary(sync(c.operation())),
  },
  canary: {
    synopsis: 'PERCENT [--yes] [--allow-unsafe-migrations] | --abort [--yes]',
    summary: "send PERCENT (1-99) of the app's clients to STANDBY, each client\n" + ' '.repeat(41) + 'kept on one slot; release promotes it, --abort ends it',
    options: ['abort', 'yes', 'allow-unsafe-migrations', 'app'],
    takesArguments: true,
    run(c) {
      const [given, ...extra] = c.args.positionals;
      if (c.args.values.abort) {
        if (given !== undefined) throw new UsageError('canary --abort takes no PERCENT');
        return printSummary(canary(c.operation(), { end: true }));
      }
      if (given === undefined || extra.length || !/^\d+$/.test(given)) throw new UsageError('canary needs PERCENT, a whole number from 1 to 99 (or --abort)');
      return printSummary(canary(c.operation(), { percent: Number(given), unsafeMigrations: unsafeMigrationPolicy(c) }));
    },
  },
  watch: {
    synopsis: '[--stop]',
    summary: "resume the watch of the new LIVE that a closed editor or a killed\n" + ' '.repeat(41) + 'process left (exit 1 when it switched back); --stop ends it',
    options: ['stop', 'app'],
    run: (c) => printSummary(c.args.values.stop ? stopWatch(c.operation()) : resumeWatch(c.operation())),
  },
  bump: {
    synopsis: 'patch|minor|major [--yes]',
    summary: 'raise the version, draft release notes, commit, tag, push;\n' + ' '.repeat(41) + 'then deploy the tag to STANDBY',
    options: ['yes', 'app'],
    takesArguments: true,
    async run(c) {
      const level = c.args.positionals[0] as BumpLevel;
      if (!BUMP_LEVELS.includes(level) || c.args.positionals.length > 1) throw new UsageError('bump needs patch, minor or major');
      const workspace = path.dirname(c.config.file);
      return printSummary(bump(c.operation(), { workspace, level }));
    },
  },
  reconcile: {
    synopsis: '[--yes] | --route-back [--yes]',
    summary: 'rewrite the state file to agree with HAProxy (traffic untouched);\n' + ' '.repeat(41) + "--route-back switches traffic to the state file's LIVE instead",
    options: ['route-back', 'yes', 'app'],
    run: (c) => (c.args.values['route-back'] ? switchTraffic(c, 'release', { routeBack: true }) : printSummary(reconcile(c.operation()))),
  },
  smoke: {
    synopsis: '',
    summary: "run the app's smoke tests (smoke: in bluegreen.yaml) on both slots;\n" + ' '.repeat(41) + 'exits 1 when STANDBY fails one (a release would be refused)',
    options: ['app'],
    async run(c) {
      const { app } = c.operation();
      if (!app.smoke.length) throw new UsageError(`${app.name} has no smoke tests: add a smoke: list to ${CONFIG_FILE_NAME}`);
      const snapshot = await snapshotApp(c.runner, app);
      printOut(redact(renderSmoke(snapshot)));
      return snapshot.standby && smokeFailures(snapshot.slots[snapshot.standby].smoke) ? 1 : 0;
    },
  },
  restart: {
    synopsis: 'standby|live [--yes] [--reason TEXT]',
    summary: "restart the app's process on a slot's servers, then wait until healthy\n" + ' '.repeat(41) + '(recorded); live: type its name, give a reason; one server at a time',
    options: ['yes', 'reason', 'app'],
    takesArguments: true,
    run(c) {
      const [role, ...extra] = c.args.positionals;
      if ((role !== 'standby' && role !== 'live') || extra.length) throw new UsageError('restart needs standby or live');
      return printSummary(restart(c.operation(), role));
    },
  },
  logs: {
    synopsis: '[--slot blue|green|standby|live|lb] [--lines N] [--follow | --since WHEN] [--filter TEXT]',
    summary: "the app's own log on a slot's servers (pm2's out and error files), or\n" + ' '.repeat(41) + "HAProxy's; --follow until Ctrl-C (redacted; a flood is bounded)",
    options: ['slot', 'lines', 'follow', 'since', 'filter', 'app'],
    run: logsCommand,
  },
  doctor: {
    synopsis: '[--fix] [--yes]',
    summary: 'check the load balancer for what makes releases drop requests, and\n' + ' '.repeat(41) + 'every host for what makes operations fail (checkouts, git, node/npm/pm2\n' + ' '.repeat(41) + 'in the shell deploys use, sudo); --fix adds the lines, makes the state folder',
    options: ['fix', 'yes', 'app'],
    async run(c) {
      const r = await doctor(c.operation(), { fix: c.args.values.fix });
      printOut(redact(r.summary));
      return r.problems ? 1 : 0;
    },
  },
  allow: {
    synopsis: '[--yes]',
    summary: `let your editor's AI agent run the commands ${CONFIG_FILE_NAME} has now (shown first; any change asks again)`,
    options: ['yes'],
    offline: true,
    async run({ args, config }) {
      const text = commandsText(config);
      if (allowedFor(config.file)?.sha256 === commandsHash(text)) {
        printOut(redact(`${config.file}: its commands are allowed as they are; nothing to do.`));
        return 0;
      }
      const answer = await terminalConfirm({ yes: args.values.yes ?? false }).confirm(allowRequest(config, text));
      if (!answer.ok) throw new BlueGreenError('declined', 'not allowed; nothing was recorded');
      recordAllowed(config.file, text);
      printOut(redact(`${config.file}: its commands are allowed for your editor's AI agent (recorded in ${allowedCommandsFile()}).`));
      return 0;
    },
  },
  validate: {
    synopsis: '',
    summary: `check ${CONFIG_FILE_NAME}; every problem with file:line:col`,
    options: [],
    offline: true,
    async run({ config }) {
      printOut(redact(`${config.file}: ok (${config.apps.map((a) => a.name).join(', ')})`));
      return 0;
    },
  },
};

/**
 * Commands that run in a bundle of their own, which src/bin/launcher.ts starts instead of this
 * one (the MCP server: dist/mcp.js, so the SDK costs nothing to the other commands). Listed
 * here for the usage text.
 */
export const CLI_SERVERS: Record<string, CliServer> = {
  mcp: {
    synopsis: '',
    summary: "the tools for an editor's AI agent (MCP over stdio); switches wait for a person",
  },
};

/** The outcome on stdout, one sentence ending with the state now; progress went to stderr. */
async function printSummary(outcome: Promise<{ summary: string }>): Promise<number> {
  printOut(redact((await outcome).summary));
  return 0;
}

/** The terminal has no typed confirmation of its own for this: the flag is the deliberate yes. */
function unsafeMigrationPolicy(c: CliRun): UnsafeMigrationPolicy {
  return c.args.values['allow-unsafe-migrations'] ? 'allow' : 'refuse';
}

async function switchTraffic(c: CliRun, kind: 'release' | 'rollback', o: { routeBack?: boolean } = {}): Promise<number> {
  const r = await release(c.operation(), { kind, emergency: c.args.values.emergency, unsafeMigrations: unsafeMigrationPolicy(c), ...o });
  printOut(redact(r.summary));
  return r.stateWritten ? 0 : 1;
}
