import { bump } from '../workflows/bump';
import { emergencyReason } from '../plan/confirm';
import { deploy } from '../workflows/deploy';
import { deployToStaging } from '../workflows/deployToStaging';
import { promote } from '../workflows/promote';
import { OperationContext } from '../workflows/parts/operation';
import { release } from '../workflows/release';
import { sync } from '../workflows/sync';
import { AgentArgs, AgentToolName } from './tools';

/** The tools that run a workflow; the other two only read (dispatch.ts answers them). */
export type AgentAction = Exclude<AgentToolName, 'get_deployment_status' | 'get_logs'>;

/**
 * The workflow a tool call runs, and whether it waits for a person's yes: everything that can
 * affect users does (a switch, a rollback, migrations, a bump); STANDBY-only work does not.
 * `workspace`: the app's repository, where a bump raises the version.
 */
export function agentWorkflow(name: AgentAction, args: AgentArgs, workspace: string): { approval: 'person' | 'none'; run(ctx: OperationContext): Promise<{ summary: string }> } {
  switch (name) {
    case 'deploy_to_staging':
      return { approval: args.runMigrations ? 'person' : 'none', run: (ctx) => deployToStaging(ctx, { ref: args.ref, migrate: args.runMigrations === true }) };
    case 'promote_to_standby':
      return { approval: 'none', run: (ctx) => promote(ctx, { commit: args.commit }) };
    case 'deploy_to_standby':
      return { approval: args.runMigrations ? 'person' : 'none', run: (ctx) => deploy(ctx, { ref: args.ref, fetch: args.pullGithub !== false, backup: args.createBackup !== false, migrate: args.runMigrations === true }) };
    case 'switch_traffic':
      return { approval: 'person', run: (ctx) => release(ctx, { kind: 'release', emergency: args.emergency === true, suggestedReason: emergencyReason(args.reason) }) };
    case 'rollback':
      return { approval: 'person', run: (ctx) => release(ctx, { kind: 'rollback' }) };
    case 'sync_standby':
      return { approval: 'none', run: (ctx) => sync(ctx) };
    case 'bump_version':
      return { approval: 'person', run: (ctx) => bump(ctx, { workspace, level: args.level ?? 'patch' }) };
  }
}
