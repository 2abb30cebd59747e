import { AppConfig } from '../config/types';
import { parseCanaryKey } from '../haproxy/canary';
import { slotLabel } from '../status/snapshot';
import { slotSummary, versionText } from '../status/describe';
import { redact, Redacted } from '../redact';
import { redactedRequest, ShownRequest } from './confirm';
import { shownFindings, typedReason, typedSlot } from './preflight';
import { Plan, TargetCommit } from './types';

/** The dialog's other button when the switch would reset idle connections: the doctor runs instead. */
const FIX_FIRST = 'Fix First';

/** A switch of all traffic (release, rollback, emergency). */
export function switchConfirmation(plan: Plan, o: { suggestedReason?: string } = {}): ShownRequest {
  const { intent } = plan;
  const [from, to] = [plan.liveSlot!, plan.targetSlot!];
  const verb = intent.kind === 'rollback' ? 'Roll back traffic' : intent.routeBack ? 'Route traffic back' : 'Switch traffic';
  return redactedRequest({
    title: `${verb} from ${slotLabel(from.name)} (${versionText(from.version)}) to ${slotLabel(to.name)} (${versionText(to.version)})?`,
    detail: [
      `LIVE now: ${slotLabel(from.name)} ${versionText(from.version)} at ${from.commit?.slice(0, 7) ?? '?'} — ${from.health}`,
      `New LIVE: ${slotLabel(to.name)} ${versionText(to.version)} at ${to.commit?.slice(0, 7) ?? '?'} — ${to.health}${to.responseMs !== undefined ? ` (${to.responseMs} ms)` : ''}`,
      plan.commits.length ? `Commits:\n${plan.commits.map((c) => `  ${c}`).join('\n')}` : from.commit === to.commit ? 'Both slots run the same commit.' : '',
      ...shownFindings(plan).map((f) => f.sentence),
      `${slotLabel(from.name)} stays warm as STANDBY for rollback.`,
    ]
      .filter(Boolean)
      .join('\n'),
    action: intent.emergency ? 'Emergency Switch' : intent.kind === 'rollback' ? 'Roll Back' : intent.routeBack ? 'Route Back' : 'Switch Traffic',
    typeToConfirm: typedSlot(plan),
    typeReason: typedReason(plan),
    askReason: intent.emergency,
    suggestedReason: o.suggestedReason,
    alternative: plan.findings.some((f) => f.fixFirst) ? FIX_FIRST : undefined,
  });
}

/** A canary started (a share of the clients to STANDBY) or ended. */
export function canaryConfirmation(plan: Plan, config: AppConfig): ShownRequest {
  const end = plan.intent.kind === 'end-canary';
  const percent = plan.intent.percent ?? 0;
  const [live, to] = [plan.liveSlot!, plan.targetSlot!];
  const lb = config.loadBalancer;
  const key = parseCanaryKey(lb.canaryBy);
  const current = plan.snapshot.lbs.find((l) => l.canary)?.canary;
  const several = config.loadBalancers.length > 1;
  const onEach = several ? ` on each of its ${config.loadBalancers.length} load balancers, one after another` : '';
  return redactedRequest({
    title: end ? `End the canary: send every client of ${plan.app} back to ${slotLabel(live.name)}?` : `Send ${percent}% of ${plan.app}'s clients to ${slotLabel(to.name)} (${versionText(to.version)})?`,
    detail: [
      end ? `Now ${current?.percent ?? 0}% go to ${slotLabel(to.name)}; after this, all go to LIVE ${slotSummary(live)}.` : `LIVE ${slotSummary(live)} keeps the other ${100 - percent}%.${current ? ` (Now ${current.percent}%.)` : ''}`,
      end ? '' : `A client stays on one slot: ${key.by === 'source' ? 'by a hash of its address' : `by a hash of its ${key.by} ${key.name} (requests without it stay on LIVE)`}.`,
      end ? (several ? `The rule is removed${onEach}.` : '') : `One rule is added to frontend ${lb.frontend}, before the routing line${onEach}; Release promotes (the rule goes, all traffic moves), ending the canary removes it.`,
      ...shownFindings(plan).map((f) => f.sentence),
    ]
      .filter(Boolean)
      .join('\n'),
    action: end ? 'End Canary' : 'Start Canary',
    typeToConfirm: typedSlot(plan),
    typeReason: typedReason(plan) || undefined,
  });
}

/** A deploy to STANDBY: what it runs now, where it is rebuilt, and that LIVE is not touched. */
export function deployConfirmation(plan: Plan, config: AppConfig, what: string, target?: TargetCommit): ShownRequest {
  const [live, standby] = [plan.liveSlot!, plan.targetSlot!];
  const skipsStaging = plan.findings.some((f) => f.gate === 'staging-passed' && f.overrode);
  return redactedRequest({
    title: `Deploy ${what}${target ? ` (${target.version ? `v${target.version}, ` : ''}${target.commit.slice(0, 7)})` : ''} to ${slotLabel(standby.name)} (STANDBY)?`,
    detail: [
      target ? `It lands ${target.oneLine ?? target.commit.slice(0, 7)}${target.version ? `, version ${target.version} in package.json` : ''}${target.commit === live.commit ? ' — the commit LIVE runs' : target.commit === standby.commit ? ` — the commit ${slotLabel(standby.name)} runs now` : ''}.` : '',
      `${slotLabel(standby.name)} now runs ${versionText(standby.version)} at ${standby.commit?.slice(0, 7) ?? '?'}; it will be rebuilt and restarted on ${config.slots[standby.name].servers.map((s) => s.ssh).join(', ')}.`,
      `LIVE ${slotSummary(live)} is not touched.`,
      plan.intent.migrate ? `Migrations will run: ${config.deploy.migrate}` : '',
      ...shownFindings(plan).map((f) => f.sentence),
    ]
      .filter(Boolean)
      .join('\n'),
    action: skipsStaging ? 'Deploy Without Staging' : 'Deploy',
    ...(skipsStaging ? { askReason: true, reasonTitle: 'Deploy without staging: reason' } : {}),
  });
}

/** Before a deploy's migrations run on the database LIVE uses: the files, and what breaks a rollback. */
export function migrationsConfirmation(plan: Plan, config: AppConfig): ShownRequest {
  const [live, standby] = [plan.live!, plan.target!];
  return redactedRequest({
    title: `Run the migrations on the database ${slotLabel(live)} (LIVE) uses?`,
    detail: [...shownFindings(plan).map((f) => f.sentence), `${config.deploy.migrate} runs on ${config.slots[standby].servers[0].ssh}.`].join('\n'),
    action: 'Run Migrations',
    typeToConfirm: typedSlot(plan),
    typeReason: `Migrations break a rollback to ${slotLabel(live)}`,
  });
}

/** A sync: STANDBY brought to LIVE's exact commit. */
export function syncConfirmation(plan: Plan): ShownRequest {
  const [live, standby] = [plan.liveSlot!, plan.targetSlot!];
  const commit = live.commit?.slice(0, 7) ?? '?';
  return redactedRequest({
    title: `Sync ${slotLabel(standby.name)} (STANDBY) to LIVE's commit ${commit}?`,
    detail: `${slotLabel(standby.name)} now runs ${versionText(standby.version)} at ${standby.commit?.slice(0, 7) ?? '?'}; it will run ${versionText(live.version)} at ${commit}, like LIVE.\nLIVE is not touched.`,
    action: 'Sync',
  });
}

/** For a terminal: the title, then the detail indented under it. */
export function asTerminalText(c: Pick<ShownRequest, 'title' | 'detail'>): Redacted {
  return redact(`${c.title}\n${c.detail
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}`);
}

/** For an agent's client (an MCP elicitation's message, a tool's result): the title, a blank line, the detail. */
export function asAgentText(c: Pick<ShownRequest, 'title' | 'detail'>): Redacted {
  return redact(`${c.title}\n\n${c.detail}`);
}

/** A deploy to staging: no production traffic moves, so it says what lands where and what stays as it is. */
/** The button of a deploy to staging: the one question a following loop answers for the person who started it. */
export const STAGING_DEPLOY_ACTION = 'Deploy to Staging';

export function stagingConfirmation(config: AppConfig, ref: string, target: TargetCommit, migrate: boolean): ShownRequest {
  const staging = config.staging!;
  return redactedRequest({
    title: `Deploy ${ref} (${target.version ? `v${target.version}, ` : ''}${target.commit.slice(0, 7)}) to staging?`,
    detail: [
      `It lands ${target.oneLine ?? target.commit.slice(0, 7)}${target.version ? `, version ${target.version} in package.json` : ''}.`,
      `Staging will be rebuilt and restarted on ${staging.servers.map((s) => s.ssh).join(', ')}; the outcome is recorded there.`,
      'The load balancer and both slots are not touched.',
      migrate ? `Migrations will run on staging: ${config.deploy.migrate}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    action: STAGING_DEPLOY_ACTION,
  });
}
