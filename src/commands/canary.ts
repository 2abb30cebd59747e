import * as vscode from 'vscode';
import { otherSlot } from '../core/config/types';
import { canary as canaryWorkflow } from '../core/workflows/canary';
import { canaryChoices } from '../ui/canaryChoices';
import { Deps } from '../ui/deps';
import { appFor, runOperation, targetOf } from '../ui/operations';
import { END_CANARY, PROMOTE_CANARY } from '../ui/nextSteps';
import { askInput, pick } from '../ui/sinks';
import { redact } from '../core/redact';

/**
 * Blue-Green: Canary…: with no canary, asks the share; while one runs, offers to change its
 * share, promote it (a release) or end it. The workflow's dialog confirms. A share given as
 * the second argument (from a test, a keybinding or End Canary) is not asked.
 */
export async function canary(deps: Deps, arg?: unknown, share?: unknown): Promise<boolean> {
  const picked = await appFor(deps, targetOf(arg));
  // No config: the operation says what is missing. No app picked: nothing to do.
  if (!picked) return deps.model.config ? false : runOperation(deps, 'Canary', arg, () => Promise.resolve(''));
  const app = deps.model.snapshot?.apps.find((a) => a.name === picked.name);
  const current = app?.lb.canary;
  const onApp = { app: { name: picked.name } };
  let percent = typeof share === 'number' ? share : undefined;
  if (percent === undefined && current && app?.live) {
    const choices = canaryChoices(current, app.live, otherSlot(app.live));
    const chosen = await pick(
      choices.map((c) => ({ ...c, label: redact(c.label), description: redact(c.description) })),
      { title: redact(`Blue-Green: the canary of ${picked.name}`), placeHolder: redact('Change its share, promote it, or end it') },
    );
    if (!chosen) return false;
    if (chosen.choice === 'promote') return (await vscode.commands.executeCommand<boolean>('bluegreen.release', onApp)) === true;
    if (chosen.choice === 'end') percent = 0;
  }
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
  return runOperation(deps, end ? 'End the canary' : 'Canary', onApp, async (ctx) => (await canaryWorkflow(ctx, end ? { end: true } : { percent })).summary, end ? [] : [PROMOTE_CANARY, END_CANARY]);
}
