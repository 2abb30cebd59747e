import { AppConfig, otherSlot } from '../config/types';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { cannotTellLive, GATES, Judged } from './gates';
import { Evidence, Finding, Intent, Plan } from './types';
import { redact, Redacted } from '../redact';

/**
 * Judges every gate that applies to the intent, once, on one snapshot (and the evidence read
 * for it), and returns the plan: what the operation would do and what each gate said. No
 * workflow tests a gate itself; it states its intent and goes by the plan.
 */
export function preflight(snap: AppSnapshot, config: AppConfig, asked: Intent, evidence?: Evidence): Plan {
  // Only a switch of all traffic has an emergency form; anything else asking for one is judged in full.
  const intent = asked.emergency && asked.kind !== 'release' && asked.kind !== 'rollback' ? { ...asked, emergency: false } : asked;
  const base = { app: snap.name, intent, commits: evidence?.commits ?? [], snapshot: snap };
  if (!snap.live || !snap.standby) {
    return { ...base, findings: [{ gate: 'live-known', severity: 'refuse', emergencyPasses: false, host: snap.lb.host, sentence: cannotTellLive(snap, intent.kind) }] };
  }
  const live = snap.live;
  const to = otherSlot(live);
  const j: Judged = { snap, config, intent, live, to, evidence };
  const findings: Finding[] = [];
  for (const gate of GATES) {
    if (!gate.applies.includes(intent.kind)) continue;
    const said = gate.judge(j);
    for (const v of said === undefined ? [] : Array.isArray(said) ? said : [said]) {
      const severity = v.severity ?? gate.severity;
      const emergencyPasses = gate.emergency !== undefined;
      if (severity === 'refuse' && intent.emergency && gate.emergency) {
        const passed = gate.emergency(j, v);
        findings.push({ gate: gate.id, severity: 'warn', emergencyPasses, host: v.host, sentence: passed?.sentence ?? v.sentence, overrode: passed?.overrode, quiet: passed === undefined || undefined });
      } else {
        findings.push({ gate: gate.id, severity, emergencyPasses, host: v.host, sentence: v.sentence, overrode: v.overrode, fixFirst: v.fixFirst });
      }
    }
  }
  return { ...base, live, target: to, liveSlot: snap.slots[live], targetSlot: snap.slots[to], findings };
}

/** The first refusal, in the table's order: the one the operation is refused with. */
export function refusalOf(plan: Plan): Finding | undefined {
  return plan.findings.find((f) => f.severity === 'refuse');
}

/** The slot's name the person must type to go ahead (an emergency, or migrations that break a rollback). */
export function typedSlot(plan: Plan): string | undefined {
  return plan.target && (plan.intent.emergency || plan.findings.some((f) => f.severity === 'type')) ? slotLabel(plan.target) : undefined;
}

/** Why it must be typed, in a few words. */
export function typedReason(plan: Plan): string {
  return [plan.intent.emergency ? 'Emergency release: health checks are skipped' : '', plan.live && plan.findings.some((f) => f.gate === 'migrations' && f.severity === 'type') ? `Migrations break a rollback to ${slotLabel(plan.live)}` : ''].filter(Boolean).join('. ');
}

/** What the history records as gone past when the operation goes ahead. */
export function overridden(plan: Plan): Redacted | undefined {
  const said = plan.findings.flatMap((f) => f.overrode ?? []).join('; ');
  return said ? redact(said) : undefined;
}

/** The findings a confirmation says, in order. */
export function shownFindings(plan: Plan): Finding[] {
  return plan.findings.filter((f) => f.severity !== 'refuse' && !f.quiet);
}
