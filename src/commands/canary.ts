import { canary as canaryWorkflow } from '../core/workflows/canary';
import { Deps } from '../ui/deps';
import { appFor, runOperation, targetOf } from '../ui/operations';
import { END_CANARY, PROMOTE } from '../ui/nextSteps';
import { askInput } from '../ui/sinks';
import { redact } from '../core/redact';

/**
 * Blue-Green: Canary…: asks the share (0 ends the canary), then runs the workflow, whose
 * dialog confirms. A share given as the second argument (from a test or a keybinding) is not asked.
 */
export async function canary(deps: Deps, arg?: unknown, share?: unknown): Promise<boolean> {
  const picked = await appFor(deps, targetOf(arg));
  // No config: the operation says what is missing. No app picked: nothing to do.
  if (!picked) return deps.model.config ? false : runOperation(deps, 'Canary', arg, () => Promise.resolve(''));
  const app = deps.model.snapshot?.apps.find((a) => a.name === picked.name);
  const current = app?.lb.canary;
  let percent = typeof share === 'number' ? share : undefined;
  if (percent === undefined) {
    const typed = await askInput({
      title: redact('Blue-Green: Canary'),
      prompt: redact(current ? `Now ${current.percent}% of the clients go to STANDBY. New share (1–99), or 0 to end the canary` : 'Share of the clients to send to STANDBY, 1–99 (each client stays on one slot)'),
      value: redact(String(current?.percent ?? 10)),
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 99 && (Number(v) >= 1 || current) ? undefined : redact('A whole number from 1 to 99' + (current ? ', or 0 to end the canary' : ''))),
    });
    if (typed === undefined) return false;
    percent = Number(typed.trim());
  }
  const end = percent === 0;
  return runOperation(deps, end ? 'End the canary' : 'Canary', { app: { name: picked.name } }, async (ctx) => (await canaryWorkflow(ctx, end ? { end: true } : { percent })).summary, end ? [] : [PROMOTE, END_CANARY]);
}
