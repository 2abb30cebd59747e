import { AppConfig, SlotName } from '../config/types';
import { AppSnapshot } from '../status/snapshot';
import { Evidence, GateId, Intent, OperationKind, Severity } from './types';

/* The shape of a row of the gate table (gates.ts): what it judges, and what it says. */

/** What a gate is judged on: the snapshot, with LIVE known, and what the operation aims at. */
export interface Judged {
  snap: AppSnapshot;
  config: AppConfig;
  intent: Intent;
  live: SlotName;
  /** The slot the operation changes or sends traffic to: STANDBY. */
  to: SlotName;
  evidence?: Evidence;
}

export interface Verdict {
  sentence: string;
  host?: string;
  /** Instead of the gate's own severity (a gate that also says something when it passes). */
  severity?: Severity;
  overrode?: string;
  fixFirst?: boolean;
}

export interface Gate {
  id: GateId;
  applies: readonly OperationKind[];
  severity: Severity;
  judge(j: Judged): Verdict | Verdict[] | undefined;
  /**
   * Present when an emergency release may go past the gate: what its confirmation says then
   * (undefined: nothing beyond the drift it lists anyway).
   */
  emergency?(j: Judged, v: Verdict): Verdict | undefined;
}
