import { reasonMissing } from '../plan/confirm';
import { SINCE_HELP, SINCE_PATTERN } from '../status/logSince';
import { LOG_TARGETS, LogTarget } from '../status/logLines';

/**
 * The tools an editor's AI agent gets, as data: the MCP server (`bluegreen mcp`) and the
 * extension's language-model tools (package.json, checked against this list by a unit test)
 * both describe them from here. What each one does is the core workflow of the same name.
 */
export interface AgentToolSpec {
  name: AgentToolName;
  title: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, object>; required?: string[]; additionalProperties: false };
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
}

export type AgentToolName = 'get_deployment_status' | 'get_logs' | 'deploy_to_staging' | 'deploy_to_standby' | 'promote_to_standby' | 'switch_traffic' | 'rollback' | 'sync_standby' | 'bump_version';

/** The most lines an agent may ask of each server: enough to see a crash, not enough to flood its context. */
export const AGENT_LOG_LINES = 200;

const APP = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Which app, when bluegreen.yaml has several.' };
const REF = { type: 'string', pattern: '^(?!-)(?!.*\\.\\.)[A-Za-z0-9_][A-Za-z0-9_./-]*$', maxLength: 200 };

export const AGENT_TOOLS: readonly AgentToolSpec[] = [
  {
    name: 'get_deployment_status',
    title: 'Deployment status',
    description: 'Which slot (BLUE or GREEN) is LIVE and which is STANDBY, with the health, version and commit of each, the load balancer routing, and any drift. Read only.',
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'get_logs',
    title: 'Read logs',
    description:
      "The app's own log on a slot's servers (pm2's out and error files), or HAProxy's on the load balancer: the last lines of each server, optionally only those written since a time or holding a text. Redacted, one line each, bounded. Read only: when a slot is not healthy or a gate refuses, read its log before suggesting anything.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        slot: { type: 'string', enum: [...LOG_TARGETS], default: 'standby', description: 'blue or green, or whichever is standby or live now; lb for HAProxy.' },
        lines: { type: 'integer', minimum: 1, maximum: AGENT_LOG_LINES, default: 50, description: 'The last lines of each server.' },
        since: { type: 'string', pattern: SINCE_PATTERN, description: `Only lines written since: ${SINCE_HELP}. Lines that say no time are all kept, and the answer says so.` },
        filter: { type: 'string', maxLength: 200, description: 'Only lines holding this text (case-insensitive).' },
      },
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'deploy_to_staging',
    title: 'Deploy to staging',
    description: "Runs the deploy steps on the app's staging servers (outside the load balancer: no production traffic moves), then its health and smoke tests, and records passed or failed on the staging host. Migrations wait for a person's approval.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        ref: { ...REF, description: "Branch, tag or commit; default: the branch staging follows (staging.branch)." },
        runMigrations: { type: 'boolean', default: false, description: "Run the configured migrations on staging's database (a person approves first)." },
      },
      additionalProperties: false,
    },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
  },
  {
    name: 'deploy_to_standby',
    title: 'Deploy to STANDBY',
    description: "Builds and starts a version on the STANDBY slot (backup, fetch the exact commit, install, optional migrations, build, restart, wait for health). LIVE is never touched. Migrations wait for a person's approval.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        ref: { ...REF, description: 'Branch, tag or commit; default: the branch tip.' },
        pullGithub: { type: 'boolean', default: true, description: "false: no fetch; STANDBY's checked-out commit is built again." },
        createBackup: { type: 'boolean', default: true, description: 'false: no backup of the release and no backup hooks.' },
        runMigrations: { type: 'boolean', default: false, description: 'Run the configured migrations (a person approves first).' },
      },
      additionalProperties: false,
    },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
  },
  {
    name: 'promote_to_standby',
    title: 'Promote to STANDBY',
    description: "Deploys to STANDBY exactly the commit staging passed (staging's last deploy, or the commit named); refused when that commit failed on staging or never went there. LIVE is never touched.",
    inputSchema: {
      type: 'object',
      properties: {
        app: APP,
        commit: { type: 'string', pattern: '^[0-9a-f]{7,40}$', description: "A commit staging passed; default: staging's last deploy." },
      },
      additionalProperties: false,
    },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
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
  },
  {
    name: 'rollback',
    title: 'Roll back',
    description: 'Switches traffic back to the previous LIVE slot, after a person approves.',
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
  {
    name: 'sync_standby',
    title: 'Sync STANDBY to LIVE',
    description: "Brings STANDBY to LIVE's exact commit and checks that both slots match, so the next deploy starts clean. LIVE is not touched.",
    inputSchema: { type: 'object', properties: { app: APP }, additionalProperties: false },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
  },
  {
    name: 'bump_version',
    title: 'Bump the version and deploy it to STANDBY',
    description: 'Raises the version in package.json (patch, minor or major), drafts release notes from the commits since the last tag, commits, tags and pushes, then deploys the tag to STANDBY. A person approves first.',
    inputSchema: { type: 'object', properties: { app: APP, level: { type: 'string', enum: ['patch', 'minor', 'major'] } }, required: ['level'], additionalProperties: false },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
];

/** Arguments as the schemas allow them (defaults applied by the caller's validator). */
export interface AgentArgs {
  app?: string;
  ref?: string;
  pullGithub?: boolean;
  createBackup?: boolean;
  runMigrations?: boolean;
  requireApproval?: boolean;
  emergency?: boolean;
  reason?: string;
  level?: 'patch' | 'minor' | 'major';
  commit?: string;
  slot?: LogTarget;
  lines?: number;
  since?: string;
  filter?: string;
}

/** An emergency from an agent must say why; checked before anything runs. */
export function emergencyReasonMissing(args: AgentArgs): boolean {
  return reasonMissing({ askReason: args.emergency }, args.reason);
}
