import { reconcile as reconcileWorkflow } from '../core/workflows/reconcile';
import { slotLabel } from '../core/status/snapshot';
import { redact } from '../core/redact';
import { Deps } from '../ui/deps';
import { appFor, runOperation, targetOf } from '../ui/operations';
import { pick } from '../ui/sinks';
import { routeBack } from './release';

/** Which way a disagreement between the state file and HAProxy is settled. */
export type ReconcileDirection = 'accept-haproxy' | 'route-back';

/**
 * Reconcile: when the state file names a LIVE that HAProxy does not route to, the person picks
 * which is right: HAProxy (the state file is rewritten; traffic untouched) or the state file
 * (traffic is switched back to its LIVE, through the release's gates and dialog). Otherwise
 * (no state file, or one that cannot be read) only HAProxy can be right. A direction given as
 * the second argument (a test, a keybinding) is not asked.
 */
export async function reconcile(deps: Deps, arg?: unknown, given?: unknown): Promise<boolean> {
  const picked = await appFor(deps, targetOf(arg));
  // No config: the operation says what is missing. No app picked: nothing to do.
  if (!picked) return deps.model.config ? false : runOperation(deps, 'Reconcile state file', arg, () => Promise.resolve(''));
  const app = deps.model.snapshot?.apps.find((a) => a.name === picked.name);
  const recorded = app?.lb.state.status === 'ok' ? app.lb.state.live : undefined;
  const onApp = { app: { name: picked.name } };
  let direction = given === 'accept-haproxy' || given === 'route-back' ? given : undefined;
  if (!direction && app?.live && recorded && recorded !== app.live) {
    const [routed, inFile] = [slotLabel(app.live), slotLabel(recorded)];
    const chosen = await pick(
      [
        { direction: 'accept-haproxy' as const, label: redact(`$(check) HAProxy is right: ${routed} is LIVE`), description: redact('rewrite the state file; traffic is not touched') },
        { direction: 'route-back' as const, label: redact(`$(arrow-swap) The state file is right: ${inFile} is LIVE`), description: redact(`switch traffic back to ${inFile} (the release dialog confirms)`) },
      ],
      { title: redact(`Blue-Green: ${picked.name}: HAProxy routes ${routed}, the state file records ${inFile}`), placeHolder: redact('Which one is right?') },
    );
    if (!chosen) return false;
    direction = chosen.direction;
  }
  if (direction === 'route-back') return routeBack(deps, onApp);
  return runOperation(deps, 'Reconcile state file', onApp, async (ctx) => (await reconcileWorkflow(ctx)).summary);
}
