import { SlotName } from '../config/types';
import { AppSnapshot, liveSlot, SlotSnapshot, slotLabel } from './snapshot';

/** "v1.2.0" however the app reports it (with or without its v); `unknown` when it does not. */
export function versionText(version: string | undefined, unknown = 'version unknown'): string {
  return version ? `v${version.replace(/^v/, '')}` : unknown;
}

/** "BLUE v1.1.0". */
export function slotSummary(slot: SlotSnapshot | undefined): string {
  if (!slot) return 'unknown';
  return `${slotLabel(slot.name)} ${versionText(slot.version, '(version unknown)')}`;
}

/** "LIVE is unchanged: BLUE v1.1.0" — the sentence every failure ends with. */
export function liveUnchanged(app: AppSnapshot | undefined): string {
  const live = liveSlot(app);
  return live ? `LIVE is unchanged: ${slotSummary(live)}.` : 'Nothing was changed.';
}

/** "GREEN (STANDBY) runs v1.2.0 at 1a2b3c4": what a deploy or a sync leaves on STANDBY. */
export function standbyRuns(slot: SlotName, version: string | undefined, commit: string): string {
  return `${slotLabel(slot)} (STANDBY) runs ${versionText(version, 'the new build')} at ${commit.slice(0, 7)}`;
}

function slotState(slot: SlotSnapshot): string {
  const health = !slot.reachable && slot.health === 'unknown' ? 'unreachable' : slot.health === 'up' ? 'healthy' : slot.health === 'down' ? 'unhealthy' : 'health unknown';
  const servers = slot.servers.length > 1 ? `, ${slot.servers.filter((s) => s.health === 'up').length} of ${slot.servers.length} servers healthy` : '';
  return `${slotSummary(slot)} (${health}${servers}${slot.commit ? `, ${slot.commit.slice(0, 7)}` : slot.serversDisagree ? `; ${slot.serversDisagree}` : ''})`;
}

/** "demo: LIVE is BLUE v1.1.0 (healthy, 1a2b3c4); STANDBY is GREEN v1.2.0 (healthy, 5d6e7f8)." */
export function statusSentence(app: AppSnapshot): string {
  if (!app.live || !app.standby) return `${app.name}: which slot is LIVE is unknown (${app.lb.error ?? 'the load balancer could not be read'}).`;
  const parts = [`${app.name}: LIVE is ${slotState(app.slots[app.live])}; STANDBY is ${slotState(app.slots[app.standby])}.`];
  const canary = app.lb.canary;
  if (canary) parts.push(`A canary sends ${canary.percent}% of the clients to ${canary.slot ? slotLabel(canary.slot) : canary.backend}.`);
  for (const d of app.drift) parts.push(`Drift: ${d.message}.`);
  return parts.join(' ');
}
