// Apart from the prober: the workflows quote these sentences when they refuse, and the tests
// read them from a Snapshot built by hand.
import { SlotName } from '../config/types';
import { timeLeft } from '../format';
import { STATE_STATUS_LIMIT, watchInterrupted } from '../state/stateFile';
import { Drift, LoadBalancerSnapshot } from './snapshot';

export function driftOf(lb: LoadBalancerSnapshot, live: SlotName | undefined): Drift[] {
  const drift: Drift[] = [];
  const { state } = lb;
  if (state.status === 'missing') drift.push({ kind: 'state-file-missing', message: `the state file ${state.file} does not exist; HAProxy's config is used (the next release writes it; Reconcile, bluegreen reconcile, writes it now from HAProxy's routing)` });
  if (state.status === 'corrupt') drift.push({ kind: 'state-file-corrupt', message: `the state file ${state.file} cannot be read (${state.error ?? 'corrupt'}); HAProxy's config is used` });
  if (state.status === 'too-large') {
    drift.push({ kind: 'state-file-too-large', message: `the state file ${state.file} is ${state.error}, more than a status refresh reads (${STATE_STATUS_LIMIT / 2 ** 20} MB), so its history is not shown and HAProxy's config gives the roles; the next release keeps its last loadBalancer.historyKept entries and moves the rest to ${state.file}.history.jsonl` });
  }
  if (state.status === 'ok' && live && state.live !== live) {
    drift.push({ kind: 'state-file-disagrees', message: `the state file says ${state.live?.toUpperCase()} is LIVE, but HAProxy routes to ${live.toUpperCase()}; HAProxy's config wins` });
  }
  if (lb.strayRoutes?.length) drift.push({ kind: 'mixed-routing', message: mixedRoutingMessage(lb) });
  if (lb.configNotNamed) {
    const { config, running } = lb.configNotNamed;
    drift.push({ kind: 'config-not-named', message: `the running HAProxy loads ${running.join(', ') || 'no file named on its command line'}, not ${config}: unless one of those is a link to it, a switch edits a file HAProxy does not read (the check through the frontend would then undo it)` });
  }
  const recorded = state.canary;
  if (lb.canary && (!recorded || recorded.percent !== lb.canary.percent || recorded.slot !== lb.canary.slot)) {
    drift.push({ kind: 'canary-disagrees', message: `HAProxy's config has a canary rule (line ${lb.canary.line}: ${lb.canary.percent}% to ${lb.canary.backend}) that the state file ${recorded ? `records as ${recorded.percent}% to ${recorded.slot.toUpperCase()}` : 'does not record'}; HAProxy's config wins` });
  } else if (!lb.canary && recorded && state.status === 'ok') {
    drift.push({ kind: 'canary-disagrees', message: `the state file records a canary (${recorded.percent}% to ${recorded.slot.toUpperCase()}) that HAProxy's config does not have` });
  }
  if (lb.canary && lb.canary.slot === live) drift.push({ kind: 'canary-disagrees', message: `the canary rule (line ${lb.canary.line}) sends clients to LIVE's own backend ${lb.canary.backend}: it does nothing` });
  if (watchInterrupted(state.watch, !!lb.lock)) {
    const w = state.watch!;
    drift.push({ kind: 'watch-interrupted', message: `the watch of ${w.slot.toUpperCase()} started by ${w.by} stopped early (the process running it ended) with ${timeLeft(w.until)} left: nobody is watching. Resume it (Resume Watch, bluegreen watch) or stop it (bluegreen watch --stop)` });
  }
  if (lb.configChangedAfterLoad) {
    drift.push({ kind: 'config-not-loaded', message: `the HAProxy config file changed after HAProxy last loaded it; the running routing may differ until a reload` });
  }
  return drift;
}

/** What the split is and what to do about it, naming each line. */
export function mixedRoutingMessage(lb: LoadBalancerSnapshot): string {
  const rules = (lb.strayRoutes ?? []).map((r) => `${r.file ? `${r.file} ` : ''}line ${r.line}${r.section === lb.frontend && !r.file ? '' : ` in "${r.section}"`}: "${r.text}"`).join('; ');
  const others = (lb.strayRoutes ?? []).some((r) => r.section !== lb.frontend || r.file);
  return `traffic is split: besides its routing line ${lb.routingLine ?? '?'}, ${others ? 'the config' : `frontend "${lb.frontend}"`} sends requests to a slot's backend (${rules}), so STANDBY serves users too. Deploy, sync and release are refused until only the routing line sends traffic to a slot`;
}
