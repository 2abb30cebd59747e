import { createHash } from 'node:crypto';
import { SlotName } from '../config/types';
import { redact, Redacted } from '../redact';

/** What a workflow asks a person before it changes production. */
export interface ConfirmRequest {
  title: string;
  detail: string;
  /** The button that goes ahead ("Switch Traffic"); Cancel is always offered. */
  action: string;
  /** The person must type this (the target slot's name) to go ahead: an emergency, or migrations that break a rollback. */
  typeToConfirm?: string;
  /** Why it must be typed, in a few words (the typing box's title). */
  typeReason?: string;
  /** Emergency, or a deploy that skips staging: a reason is asked for and recorded. */
  askReason?: boolean;
  /** The reason box's title (default: the emergency release's). */
  reasonTitle?: string;
  /** A reason offered for the person to keep or change (what an agent gave); never an answer. */
  suggestedReason?: string;
  /** A second button that does not go ahead but does something else first ("Fix First"); only a dialog offers it. */
  alternative?: string;
  /** What a yes to this request approves, and nothing else (see approvalBinding). */
  binding?: ApprovalBinding;
}

/**
 * The operation an approval is for: the app, the kind, from which slot to which at which
 * commits, and the bluegreen.yaml it was judged by; `id` is fresh for every request. An answer
 * counts only when it names this id and this binding's hash, and the change goes ahead only if
 * all of it is still so under the lock.
 */
export interface ApprovalBinding {
  id: string;
  app: string;
  kind: string;
  from?: SlotName;
  to?: SlotName;
  fromCommit?: string;
  toCommit?: string;
  configSha256?: string;
}

/** The binding's fingerprint: sha256 of its fields in a fixed order. */
export function bindingHash(b: ApprovalBinding): string {
  const fields = [b.id, b.app, b.kind, b.from, b.to, b.fromCommit, b.toCommit, b.configSha256].map((v) => v ?? '');
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** `via`: how the person said yes ("editor dialog", "terminal", …), recorded with a switch. */
/** `alternative`: the person picked the request's alternative button instead. */
export type ConfirmAnswer = { ok: false; alternative?: boolean } | { ok: true; reason?: string; via?: string };

/** A request as a dialog, a terminal, an elicitation or the approval socket shows it. */
export type ShownRequest = Omit<ConfirmRequest, 'title' | 'detail' | 'typeReason' | 'suggestedReason' | 'reasonTitle'> & { title: Redacted; detail: Redacted; typeReason?: Redacted; suggestedReason?: Redacted; reasonTitle?: Redacted };

/** Every text of a request as any medium shows it: commands from bluegreen.yaml and hosts' words may carry a credential. */
export function redactedRequest(request: ConfirmRequest): ShownRequest {
  const { typeReason, suggestedReason, reasonTitle, ...rest } = request;
  return { ...rest, title: redact(request.title), detail: redact(request.detail), ...(typeReason ? { typeReason: redact(typeReason) } : {}), ...(suggestedReason ? { suggestedReason: redact(suggestedReason) } : {}), ...(reasonTitle ? { reasonTitle: redact(reasonTitle) } : {}) };
}

/** The longest title and detail an approval shows; what is longer is cut, and says so. */
export const APPROVAL_TEXT_LIMITS = { title: 300, detail: 20_000 } as const;

/** The request with a title and detail any medium can show in full: cut with "…" and how much was left out. */
export function fitForApproval(request: ConfirmRequest): ShownRequest {
  const cut = (text: Redacted, max: number) => (text.length <= max ? text : redact(`${text.slice(0, max)}… (${text.length - max} more characters not shown)`));
  const shown = redactedRequest(request);
  return { ...shown, title: cut(shown.title, APPROVAL_TEXT_LIMITS.title), detail: cut(shown.detail, APPROVAL_TEXT_LIMITS.detail) };
}

export interface ConfirmPort {
  confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
}

/** For `--yes` and tests: goes ahead, with the reason given up front. */
export function preApproved(reason?: string): ConfirmPort {
  return { confirm: async () => ({ ok: true, reason }) };
}

/**
 * The typed-slot rule, for every medium that asks: what the person typed goes ahead only when it
 * is the slot's name the request names (surrounding spaces forgiven). A request that names none
 * needs no typing.
 */
export function typedSlotMatches(request: ConfirmRequest, typed: unknown): boolean {
  return request.typeToConfirm === undefined || (typeof typed === 'string' && typed.trim() === request.typeToConfirm);
}

/**
 * The emergency-reason rule: a reason counts only when it has text. Returns it trimmed, or
 * undefined, and then an emergency does not go ahead.
 */
export function emergencyReason(reason: unknown): string | undefined {
  return typeof reason === 'string' && reason.trim() ? reason.trim() : undefined;
}

/** Whether an answer lacks the reason the request needs (an emergency's). */
export function reasonMissing(request: Pick<ConfirmRequest, 'askReason'>, reason: unknown): boolean {
  return request.askReason === true && emergencyReason(reason) === undefined;
}
