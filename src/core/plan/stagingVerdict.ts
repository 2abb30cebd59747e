import { SlotName, StagingConfig } from '../config/types';
import { slotLabel } from '../status/snapshot';
import { StagingEntry } from '../state/stagingRecord';
import { Verdict } from './gateTypes';
import { Intent, StagingEvidence } from './types';

/** "2026-12-04 10:02 UTC": a record's time as every operator reads it, wherever they are. */
function when(at: string): string {
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function named(e: Pick<StagingEntry, 'version' | 'commit' | 'ref'>): string {
  return [e.version ? `v${e.version}` : '', e.commit?.slice(0, 7) ?? e.ref].filter(Boolean).join(' ');
}

/** Whether the evidence shows the commit passed staging, and the sentence that says what the record holds. */
export function stagingOutcome(s: StagingEvidence, whose: string): { passed: boolean; sentence: string } {
  const c = `${whose}${s.commit.slice(0, 7)}`;
  if (s.unread) return { passed: false, sentence: `cannot read staging's record on ${s.host} (${s.unread}), so whether ${c} passed staging is not known` };
  const e = s.entry;
  if (e?.passed) return { passed: true, sentence: `Staging passed ${c}${e.version ? ` (v${e.version})` : ''} on ${when(e.at)}, deployed there by ${e.who}` };
  if (e) return { passed: false, sentence: `${c} FAILED on staging${e.failedStep ? ` at "${e.failedStep}"` : ''} on ${when(e.at)} (deployed there by ${e.who})${e.detail ? `: ${e.detail}` : ''}` };
  const last = s.last ? `staging's last deploy: ${named(s.last)}, ${s.last.passed ? 'passed' : 'failed'} on ${when(s.last.at)}` : 'staging has no deploy recorded';
  return { passed: false, sentence: `${c} was never deployed to staging (${last})` };
}

/**
 * The promotion gate. A deploy to STANDBY with `staging.required` takes only a commit staging
 * passed; going past it needs the person's reason (`skipStaging`), recorded. A switch only says
 * what staging holds of the commit it sends traffic to.
 */
export function stagingVerdict(staging: StagingConfig | undefined, s: StagingEvidence | undefined, intent: Intent, to: SlotName): Verdict | undefined {
  if (!staging || !s) return undefined;
  const deploying = intent.kind === 'deploy';
  const { passed, sentence } = stagingOutcome(s, deploying ? '' : `${slotLabel(to)}'s commit `);
  if (passed) return { severity: 'note', sentence: `${sentence}.` };
  if (!deploying || !staging.required) return { severity: 'warn', sentence: `⚠ ${sentence}.` };
  if (intent.skipStaging) return { severity: 'warn', sentence: `⚠ ${sentence}. staging.required is set: this deploy skips staging, and the reason is recorded in the history.`, overrode: `staging skipped: ${sentence}` };
  const short = s.commit.slice(0, 7);
  return {
    sentence: `${sentence}. staging.required is set, so only a commit that passed staging goes to STANDBY: deploy it to staging first (bluegreen deploy --to staging --ref ${short}), promote what staging passed (bluegreen promote), or skip staging with a reason (bluegreen deploy --skip-staging --reason TEXT)`,
    host: s.host,
  };
}
