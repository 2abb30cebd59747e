import { SlotName } from '../config/types';
import { Redacted } from '../redact';
import { MigrationReport } from '../migrations/types';
import { AppSnapshot, SlotSnapshot } from '../status/snapshot';
import type { StagingEntry } from '../state/stagingRecord';

/** What a person (or their agent) asks for; each gate says which of these it judges. */
export type OperationKind = 'release' | 'rollback' | 'canary' | 'end-canary' | 'deploy' | 'sync' | 'fix-lb' | 'reconcile';

/**
 * What migrations that break a rollback make of the operation: `ask` has the person type the
 * slot's name (dialogs), `refuse` stops (the CLI without --allow-unsafe-migrations), `allow`
 * goes on; the history records it either way.
 */
export type UnsafeMigrationPolicy = 'ask' | 'refuse' | 'allow';

export interface Intent {
  kind: OperationKind;
  /** Skips the gates that say an emergency may go past them; the person types the slot and a reason. */
  emergency?: boolean;
  /** The slot the person aimed at (a deploy from a tree item). */
  target?: SlotName;
  /** A deploy that runs the configured migrations. */
  migrate?: boolean;
  /** A canary's share of the clients (1–99). */
  percent?: number;
  /**
   * A release that routes traffic back to the slot the state file records as LIVE (Reconcile's
   * other direction): the state file's disagreement is what it resolves, so it does not refuse it.
   */
  routeBack?: boolean;
  unsafeMigrations?: UnsafeMigrationPolicy;
  /**
   * A deploy to STANDBY of a commit staging did not pass, with `staging.required` set: the person
   * gives a reason, recorded in the history. Never from an agent's arguments.
   */
  skipStaging?: boolean;
}

/** What only a remote read can tell, gathered once the snapshot's gates let the operation go on. */
export interface Evidence {
  /** `git log` between LIVE's commit and STANDBY's, newest first. */
  commits?: string[];
  /** The migrations between the two commits; absent when they were not looked at. */
  migrations?: { report?: MigrationReport; lines: string[] };
  /** What staging's record says of the commit the operation lands or sends traffic to. */
  staging?: StagingEvidence;
}

/** The staging record, read for one commit: its newest entry for that commit, the last deploy, or why it was not read. */
export interface StagingEvidence {
  commit: string;
  /** The first staging server, where the record is. */
  host: string;
  /** The newest entry for `commit`. */
  entry?: StagingEntry;
  /** The last deploy to staging, whatever its commit. */
  last?: StagingEntry;
  /** Why the record could not be read (unreachable, unreadable); absent when read (or none yet). */
  unread?: string;
}

export type GateId =
  | 'live-known'
  | 'traffic-split'
  | 'traffic-reaches-standby'
  | 'lb-unread'
  | 'lbs-disagree'
  | 'not-switchable'
  | 'config-not-loaded'
  | 'state-drift'
  | 'no-canary'
  | 'watch-running'
  | 'canary-on-standby'
  | 'target-is-live'
  | 'live-commit-known'
  | 'standby-health'
  | 'servers-disagree'
  | 'smoke'
  | 'not-newer'
  | 'idle-close'
  | 'canary-ends'
  | 'drift'
  | 'migrations'
  | 'staging-passed';

/**
 * `refuse`: nothing happens; `type`: the person types the target slot's name to go ahead;
 * `warn`: said in the confirmation; `note`: said there too, as plain information.
 */
export type Severity = 'refuse' | 'type' | 'warn' | 'note';

export interface Finding {
  gate: GateId;
  severity: Severity;
  /** An emergency release may go past it (it is then said, and what it overrode recorded). */
  emergencyPasses: boolean;
  /** Where it was found (a load balancer, a slot's first server). */
  host?: string;
  sentence: string;
  /** What the history records as gone past, when the operation goes ahead anyway. */
  overrode?: string;
  /** A fix the confirmation may offer instead of going ahead ("Fix First"). */
  fixFirst?: boolean;
  /** Gone past by an emergency and not repeated in the confirmation: the drift it is about is listed there. */
  quiet?: boolean;
}

/** One operation as judged: what it would do, and everything every gate said of it. */
export interface Plan {
  app: string;
  intent: Intent;
  /** LIVE now, and the slot the operation goes to (STANDBY); absent when LIVE cannot be told. */
  live?: SlotName;
  target?: SlotName;
  liveSlot?: SlotSnapshot;
  targetSlot?: SlotSnapshot;
  commits: string[];
  findings: Finding[];
  /** The snapshot it was judged on. */
  snapshot: AppSnapshot;
}

/** The commit a deploy would check out, as its dialog shows it. */
export interface TargetCommit {
  commit: string;
  /** git's line for it (short id, subject, author, age), as the host's git gave it. */
  oneLine?: Redacted;
  /** package.json's version at that commit, when it has one. */
  version?: Redacted;
}
