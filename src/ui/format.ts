import { shortDuration } from '../core/format';
import { SlotSnapshot } from '../core/status/snapshot';
import { versionText } from '../core/status/describe';

export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 172800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export function duration(ms: number | undefined): string {
  return ms === undefined ? '?' : shortDuration(ms);
}

export function versionOf(slot: SlotSnapshot): string {
  return versionText(slot.version, 'v?');
}

export function healthText(slot: Pick<SlotSnapshot, 'reachable' | 'health' | 'responseMs'>): string {
  if (!slot.reachable && slot.health === 'unknown') return 'unreachable';
  return slot.health === 'up' ? `healthy${slot.responseMs !== undefined ? ` ${slot.responseMs} ms` : ''}` : slot.health === 'down' ? 'unhealthy' : 'health unknown';
}
