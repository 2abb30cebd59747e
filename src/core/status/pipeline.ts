import { versionText } from './describe';
import type { SlotName } from '../config/types';
import { AppSnapshot, SlotSnapshot } from './snapshot';

export type StagingVerdict = 'passed' | 'failed' | 'never' | 'unknown';

/** One stage of develop → staging → STANDBY → LIVE, as a row says it. */
export interface PipelineStage {
  stage: 'staging' | 'standby' | 'live' | 'following';
  title: string;
  /** Short: what a narrow sidebar shows after the title. */
  detail: string;
  commit?: string;
  /** STANDBY's and LIVE's: which slot it is now. */
  slot?: SlotName;
}

export interface Pipeline {
  verdict: StagingVerdict;
  /** The row: "Staging v1.3.0", "passed · to promote" — short enough for a 300 px sidebar. */
  title: string;
  detail: string;
  /** The row's words in one sentence (tooltip, screen reader): "v1.3.0 passed → STANDBY v1.2.0 → LIVE v1.2.0". */
  summary: string;
  stages: PipelineStage[];
}

/** What staging's record says of its last deploy, in one word. */
export function stagingVerdictOf(app: AppSnapshot): StagingVerdict {
  const staging = app.staging;
  if (!staging || staging.status === 'unknown' || staging.status === 'unreadable') return 'unknown';
  if (!staging.last) return 'never';
  return staging.last.passed ? 'passed' : 'failed';
}

const VERDICT_WORDS: Record<StagingVerdict, string> = { passed: 'passed', failed: 'FAILED', never: 'never deployed', unknown: 'record unreadable' };

/**
 * The app's way to production in one row and three: what staging last ran and its verdict, then
 * STANDBY and LIVE, each saying whether it runs staging's commit, and the branch this window
 * follows when it does. Undefined without a staging.
 */
export function pipelineOf(app: AppSnapshot, following?: string): Pipeline | undefined {
  const staging = app.staging;
  if (!staging) return undefined;
  const verdict = stagingVerdictOf(app);
  const last = staging.last;
  const stagingCommit = last?.commit;
  const stagingVersion = last ? versionText(last.version, last.commit?.slice(0, 7) ?? last.ref) : undefined;
  const verdictText = verdict === 'unknown' && !staging.reachable ? 'unreachable' : last?.cancelled ? 'cancelled' : VERDICT_WORDS[verdict];
  // Short rows (a 300 px sidebar, two levels in): the slot's colour is its icon's, its commit in the tooltip.
  const slot = (role: 'standby' | 'live'): PipelineStage => {
    const s: SlotSnapshot | undefined = app[role] ? app.slots[app[role]!] : undefined;
    const relation = !s?.commit || !stagingCommit ? undefined : s.commit === stagingCommit ? "staging's commit" : 'another commit';
    return { stage: role, title: `${role.toUpperCase()} ${s ? versionText(s.version, 'v?') : 'unknown'}`, detail: relation ?? '', commit: s?.commit, ...(s ? { slot: s.name } : {}) };
  };
  const stages: PipelineStage[] = [
    { stage: 'staging', title: `Staging${stagingVersion ? ` ${stagingVersion}` : ''}`, detail: [verdictText, stagingCommit?.slice(0, 7)].filter(Boolean).join(' · '), commit: stagingCommit },
    slot('standby'),
    slot('live'),
    ...(following ? [{ stage: 'following' as const, title: `Following ${following}`, detail: 'deploys its new tips here' }] : []),
  ];
  const standby = app.standby ? app.slots[app.standby] : undefined;
  const live = app.live ? app.slots[app.live] : undefined;
  // Where staging's commit is now, when it passed: already LIVE, on STANDBY, or still to promote.
  const where = verdict !== 'passed' || !stagingCommit ? undefined : live?.commit === stagingCommit ? 'LIVE' : standby?.commit === stagingCommit ? 'on STANDBY' : 'to promote';
  const summary = `${stagingVersion ? `${stagingVersion} ` : ''}${verdictText} → STANDBY ${versionText(standby?.version, 'v?')} → LIVE ${versionText(live?.version, 'v?')}${following ? ` · following ${following}` : ''}`;
  return { verdict, title: `Staging${stagingVersion ? ` ${stagingVersion}` : ''}`, detail: [verdictText, following ? 'following' : where].filter(Boolean).join(' · '), summary, stages };
}
