import * as path from 'node:path';
import { pickApp } from '../core/config/pickApp';
import { Config } from '../core/config/types';
import { errorMessage, isBlueGreenError } from '../core/errors';
import { CommandRunner } from '../core/ssh/runner';
import { takeSnapshot } from '../core/status/refresh';
import { bump } from '../core/workflows/bump';
import { ConfirmPort, preApproved } from '../core/workflows/confirm';
import { deploy } from '../core/workflows/deploy';
import { statusSentence } from '../core/workflows/describe';
import { OperationContext, WorkflowError } from '../core/workflows/operation';
import { release } from '../core/workflows/release';
import { Reporter } from '../core/workflows/reporter';
import { sync } from '../core/workflows/sync';
import { whoAmI } from '../core/workflows/who';

export interface ToolDeps {
  config: Config;
  runner: CommandRunner;
  /** A person's yes for this call (the editor's dialog, elicitation, or a refusal). */
  approval(signal: AbortSignal): ConfirmPort;
}

/** What a call brings besides its arguments: Cancel, and where its step lines go. */
export interface CallContext {
  signal: AbortSignal;
  reporter: Reporter;
}

export interface ToolResult {
  content: { type: 'text'; text: string }[];
  isError?: boolean;
  [key: string]: unknown;
}

type Args = Record<string, unknown>;

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, object>; required?: string[]; additionalProperties: false };
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  run(deps: ToolDeps, args: Args, call: CallContext): Promise<ToolResult>;
}

const APP = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Which app, when bluegreen.yaml has several.' };

const text = (t: string): ToolResult => ({ content: [{ type: 'text', text: t }] });
const failure = (t: string): ToolResult => ({ isError: true, content: [{ type: 'text', text: t }] });

/**
 * Runs one workflow for a call: the app picked, the step lines to the reporter, and the outcome
 * as text ending with the state now. A failure is a tool error saying the same.
 */
async function operate(deps: ToolDeps, args: Args, call: CallContext, approval: 'person' | 'none', body: (ctx: OperationContext) => Promise<{ summary: string }>): Promise<ToolResult> {
  try {
    const ctx: OperationContext = {
      runner: deps.runner,
      app: pickApp(deps.config, args.app as string | undefined),
      reporter: call.reporter,
      confirm: approval === 'person' ? deps.approval(call.signal) : preApproved(),
      who: `${whoAmI()} (agent, via bluegreen mcp)`,
      signal: call.signal,
    };
    return text((await body(ctx)).summary);
  } catch (e) {
    const tail = e instanceof WorkflowError && e.lastLines.length ? `\n\nLast output of the failed step:\n${e.lastLines.join('\n')}` : '';
    return failure(`${errorMessage(e)}${isBlueGreenError(e, 'declined') ? ' The person said no.' : ''}${tail}`);
  }
}

/** The tools, in the old server's names and parameters; each only maps its arguments to a core workflow. */
export const TOOLS: Tool[] = [
  {
    name: 'get_deployment_status',
    title: 'Deployment status',
    description: 'Which slot (BLUE or GREEN) is LIVE and which is STANDBY, with the health, version and commit of each, the load balancer routing, and any drift. Read only.',
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { readOnlyHint: true, openWorldHint: true },
    async run(deps, args) {
      try {
        const config = args.app === undefined ? deps.config : { ...deps.config, apps: [pickApp(deps.config, args.app as string)] };
        const snapshot = await takeSnapshot(deps.runner, config);
        return { content: [{ type: 'text', text: snapshot.apps.map(statusSentence).join('\n') }, { type: 'text', text: JSON.stringify(snapshot, null, 2) }] };
      } catch (e) {
        return failure(errorMessage(e));
      }
    },
  },
  {
    name: 'deploy_to_standby',
    title: 'Deploy to STANDBY',
    description: "Builds and starts a version on the STANDBY slot (backup, fetch the exact commit, install, optional migrations, build, restart, wait for health). LIVE is never touched. Migrations wait for a person's approval.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        ref: { type: 'string', pattern: '^(?!-)(?!.*\\.\\.)[A-Za-z0-9_][A-Za-z0-9_./-]*$', maxLength: 200, description: 'Branch, tag or commit; default: the branch tip.' },
        pullGithub: { type: 'boolean', default: true, description: "false: no fetch; STANDBY's checked-out commit is built again." },
        createBackup: { type: 'boolean', default: true, description: 'false: no backup of the release and no backup hooks.' },
        runMigrations: { type: 'boolean', default: false, description: 'Run the configured migrations (a person approves first).' },
      },
      additionalProperties: false,
    },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: (deps, args, call) =>
      operate(deps, args, call, args.runMigrations ? 'person' : 'none', (ctx) =>
        deploy(ctx, { ref: args.ref as string | undefined, fetch: args.pullGithub !== false, backup: args.createBackup !== false, migrate: args.runMigrations === true }),
      ),
  },
  {
    name: 'switch_traffic',
    title: 'Switch traffic (release)',
    description: "Moves user traffic to the STANDBY slot after it passes health. A person approves in their editor (or in this client's own prompt); the agent cannot approve. emergency skips the health gate and needs a reason.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        requireApproval: { type: 'boolean', default: true, description: 'Accepted for compatibility: a person approves every switch, whatever it says.' },
        emergency: { type: 'boolean', default: false, description: 'Skip the health gate; the person types the slot name and confirms the reason.' },
        reason: { type: 'string', maxLength: 500, description: 'Why, for an emergency: offered to the person, who confirms or changes it.' },
      },
      additionalProperties: false,
    },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run(deps, args, call) {
      const reason = typeof args.reason === 'string' ? args.reason.trim() : '';
      if (args.emergency === true && !reason) return failure('An emergency switch needs a reason. Nothing was changed.');
      return operate(deps, args, call, 'person', (ctx) => release(ctx, { kind: 'release', emergency: args.emergency === true, suggestedReason: reason || undefined }));
    },
  },
  {
    name: 'rollback',
    title: 'Roll back',
    description: 'Switches traffic back to the previous LIVE slot, after a person approves.',
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    run: (deps, args, call) => operate(deps, args, call, 'person', (ctx) => release(ctx, { kind: 'rollback' })),
  },
  {
    name: 'sync_standby',
    title: 'Sync STANDBY to LIVE',
    description: "Brings STANDBY to LIVE's exact commit and checks that both slots match, so the next deploy starts clean. LIVE is not touched.",
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: (deps, args, call) => operate(deps, args, call, 'none', (ctx) => sync(ctx)),
  },
  {
    name: 'bump_version',
    title: 'Bump the version and deploy it to STANDBY',
    description: 'Raises the version in package.json (patch, minor or major), drafts release notes from the commits since the last tag, commits, tags and pushes, then deploys the tag to STANDBY. A person approves first.',
    inputSchema: { type: 'object', properties: { app: APP, level: { type: 'string', enum: ['patch', 'minor', 'major'] } }, required: ['level'], additionalProperties: false },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    run: (deps, args, call) => operate(deps, args, call, 'person', (ctx) => bump(ctx, { workspace: path.dirname(deps.config.file), level: args.level as 'patch' | 'minor' | 'major' })),
  },
];
