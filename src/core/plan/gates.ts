import { AppConfig, otherSlot, SlotName } from '../config/types';
import { timeLeft } from '../format';
import { unsafeCount } from '../migrations/types';
import { checkedBy, unsafeLine } from '../migrations/check';
import { mixedRoutingMessage } from '../status/drift';
import { loadBalancersDisagree } from '../status/refresh';
import { failedSmoke, smokeFailures } from '../status/smoke';
import { AppSnapshot, slotLabel } from '../status/snapshot';
import { slotSummary, versionText } from '../status/describe';
import { Gate, Judged, Verdict } from './gateTypes';
import { stagingVerdict } from './stagingVerdict';
import { OperationKind } from './types';

export type { Gate, Judged, Verdict } from './gateTypes';

const SWITCHES: readonly OperationKind[] = ['release', 'rollback'];
const SENDS_TRAFFIC: readonly OperationKind[] = ['release', 'rollback', 'canary'];
/** Everything that rewrites the app's routing in haproxy.cfg. */
const REROUTES: readonly OperationKind[] = [...SENDS_TRAFFIC, 'end-canary'];
const CHANGES_STANDBY: readonly OperationKind[] = ['deploy', 'sync'];

/** What a refusal ends with: what stays as it is. */
function consequence(j: Judged): string {
  return j.intent.kind === 'canary' ? 'no client is sent to it' : `traffic stays on ${slotLabel(j.live)}`;
}

const STATE_DRIFT = new Set(['state-file-disagrees', 'state-file-corrupt']);

/**
 * A switch back to the state file's LIVE goes ahead only when that is all the drift is: every
 * load balancer's state file read, each naming the slot the switch goes to.
 */
function routeBackVerdict(snap: AppSnapshot, config: AppConfig, to: SlotName): Verdict {
  const host = config.loadBalancer.ssh;
  const other = snap.drift.find((d) => STATE_DRIFT.has(d.kind) && d.kind !== 'state-file-disagrees');
  if (other) return { sentence: `cannot route back to what the state file records: ${other.message}`, host };
  // A state file that was not read names no LIVE (the reader sets one only from a parsed file).
  const elsewhere = snap.lbs.find((l) => l.state.live !== to);
  if (elsewhere) {
    const says = elsewhere.state.status === 'ok' ? `records ${elsewhere.state.live ? slotLabel(elsewhere.state.live) : 'no slot'} as LIVE` : `cannot be read (${elsewhere.state.status})`;
    return { sentence: `nothing to route back to: the state file on ${elsewhere.host} ${says}, and a switch would send traffic to ${slotLabel(to)}`, host: elsewhere.host };
  }
  return { severity: 'note', sentence: `The state file records ${slotLabel(to)} as LIVE, HAProxy routes ${slotLabel(otherSlot(to))}: this switch routes traffic back to ${slotLabel(to)}, as the state file records.` };
}

/** Whether a semver-ish version is newer; undefined when either cannot be compared. */
function isNewer(candidate?: string, current?: string): boolean | undefined {
  const parse = (v?: string) => v?.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map(Number);
  const [a, b] = [parse(candidate), parse(current)];
  if (!a || !b || a.some(Number.isNaN) || b.some(Number.isNaN)) return undefined;
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

/** Why LIVE cannot be told, in the words of each operation: every one refuses, none can go past it. */
export function cannotTellLive(snap: AppSnapshot, kind: OperationKind): string {
  const [fallback, tail] =
    kind === 'deploy' || kind === 'sync'
      ? ['load balancer unreachable', ', so nothing may be changed']
      : kind === 'fix-lb'
        ? ['unknown', ', so a change could not be checked through the frontend']
        : kind === 'reconcile'
          ? ['unknown', ', so the state file cannot be told what HAProxy routes']
          : ['unknown routing', ''];
  return `cannot tell which slot is LIVE (${snap.lb.error ?? fallback})${tail}`;
}

/**
 * Every gate an operation passes before it changes anything, in the order they are judged (the
 * first refusal is the one said). A new gate is a row here, with the operations it applies to.
 */
export const GATES: readonly Gate[] = [
  {
    // Not even an emergency: with traffic split, a switch moves only part of it, and STANDBY serves users.
    id: 'traffic-split',
    applies: [...REROUTES, ...CHANGES_STANDBY],
    severity: 'refuse',
    judge: ({ snap }) => {
      const lb = snap.lbs.find((l) => l.strayRoutes?.length);
      return lb && { sentence: mixedRoutingMessage(lb), host: lb.host };
    },
  },
  {
    // Evidence over reading: HAProxy's own count, or a request through the frontend, says users reach STANDBY.
    id: 'traffic-reaches-standby',
    applies: [...CHANGES_STANDBY, 'canary'],
    severity: 'refuse',
    judge: ({ snap }) => {
      const found = snap.drift.find((d) => d.kind === 'traffic-reaches-standby');
      return found && { sentence: found.message, host: found.lb ?? snap.lb.host };
    },
  },
  {
    id: 'lb-unread',
    applies: SWITCHES,
    severity: 'refuse',
    judge: ({ snap }) => {
      const lb = snap.lbs.find((l) => !l.reachable || !l.backend);
      return lb && { sentence: `cannot read the routing on ${lb.host} (${lb.error ?? 'unreachable'}): a release switches every load balancer of ${snap.name} or none`, host: lb.host };
    },
  },
  {
    // With a pair, STANDBY must be STANDBY on every load balancer: one that routes to it may send it users.
    id: 'lbs-disagree',
    applies: [...REROUTES, ...CHANGES_STANDBY],
    severity: 'refuse',
    judge: ({ snap, intent, to }) => {
      const split = loadBalancersDisagree(snap.lbs);
      if (!split) return undefined;
      if (intent.kind === 'canary' || intent.kind === 'end-canary') return { sentence: split, host: snap.lb.host };
      if (SWITCHES.includes(intent.kind)) return { sentence: `${split}. An emergency release switches every one to ${slotLabel(to)}` };
      return { sentence: `${split}. Deploy, sync and release are refused until they agree; an emergency release switches every one` };
    },
    emergency: () => undefined,
  },
  {
    id: 'not-switchable',
    applies: REROUTES,
    severity: 'refuse',
    judge: ({ snap }) => {
      const lb = snap.lbs.find((l) => l.notSwitchable);
      return lb && { sentence: lb.notSwitchable!, host: lb.host };
    },
  },
  {
    // A config not reloaded is not the state file's fault: it has its own remedy.
    id: 'config-not-loaded',
    applies: REROUTES,
    severity: 'refuse',
    judge: ({ snap, config, intent }) => {
      const drift = snap.drift.find((d) => d.kind === 'config-not-loaded');
      if (!drift) return undefined;
      const several = config.loadBalancers.length > 1;
      const lb = config.loadBalancers.find((l) => l.ssh === drift.lb) ?? config.loadBalancer;
      const then = SWITCHES.includes(intent.kind) ? `${intent.kind === 'rollback' ? 'roll back' : 'release'}; or use an emergency release` : 'try again';
      return { sentence: `${lb.config}${several ? ` on ${lb.ssh}` : ''} was changed after HAProxy last loaded it, so what HAProxy routes now may not be what the file says. Check the file, reload HAProxy (${lb.reload}), then ${then}`, host: lb.ssh };
    },
    emergency: () => undefined,
  },
  {
    id: 'state-drift',
    applies: SWITCHES,
    severity: 'refuse',
    judge: ({ snap, config, intent, to }) => {
      const drift = snap.drift.filter((d) => STATE_DRIFT.has(d.kind));
      if (intent.routeBack) return routeBackVerdict(snap, config, to);
      return drift.length ? { sentence: `the state file and HAProxy disagree (${drift.map((d) => d.message).join('; ')}). Reconcile the state file first, or use an emergency release`, host: config.loadBalancer.ssh } : undefined;
    },
    emergency: () => undefined,
  },
  {
    id: 'no-canary',
    applies: ['end-canary'],
    severity: 'refuse',
    judge: ({ snap, config }) =>
      snap.lbs.some((l) => l.canary) ? undefined : { sentence: `there is no canary of ${snap.name} in ${config.loadBalancer.config}${config.loadBalancers.length > 1 ? ' on any of its load balancers' : ''}`, host: config.loadBalancer.ssh },
  },
  {
    // The watch switches back to STANDBY if the new LIVE fails: changing STANDBY leaves nothing to fall back on.
    id: 'watch-running',
    applies: CHANGES_STANDBY,
    severity: 'refuse',
    judge: ({ snap, live, to }) => {
      // Any LB of a pair may hold the record (each has its own state file).
      const watch = snap.lbs.map((l) => l.state.watch).find((w) => w && w.slot === live && Date.parse(w.until) > Date.now());
      if (!watch) return undefined;
      return {
        sentence: `${slotLabel(watch.slot)} is being watched after its release (started by ${watch.by}, ${timeLeft(watch.until)} left) and ${slotLabel(to)} is the slot it would switch back to; changing it now would leave nothing to fall back on. Wait for the watch to end, or stop it (Stop Watching, bluegreen watch --stop)`,
        host: snap.lb.host,
      };
    },
  },
  {
    id: 'canary-on-standby',
    applies: CHANGES_STANDBY,
    severity: 'refuse',
    judge: ({ snap, to }) => {
      const canary = snap.lbs.map((l) => l.canary).find((c) => c?.slot === to);
      return canary ? { sentence: `a canary sends ${canary.percent}% of the clients to ${slotLabel(to)}, so it is not idle: end the canary (bluegreen canary --end) or release it first`, host: snap.lb.host } : undefined;
    },
  },
  {
    id: 'target-is-live',
    applies: ['deploy'],
    severity: 'refuse',
    judge: ({ intent, live, to }) => (intent.target && intent.target === live ? { sentence: `${slotLabel(live)} is LIVE; deploys go to the STANDBY slot (${slotLabel(to)}) only` } : undefined),
  },
  {
    id: 'live-commit-known',
    applies: ['sync'],
    severity: 'refuse',
    judge: ({ snap, live }) => {
      const slot = snap.slots[live];
      return slot.commit ? undefined : { sentence: `cannot read LIVE ${slotLabel(live)}'s commit (${slot.serversDisagree ?? slot.error ?? 'no git checkout?'})`, host: slot.host };
    },
  },
  {
    // A canary is a release to some of the clients: a downgrade is said in its dialog too.
    id: 'not-newer',
    applies: ['release', 'canary'],
    severity: 'warn',
    judge: ({ snap, live, to }) => {
      const [from, next] = [snap.slots[live], snap.slots[to]];
      return isNewer(next.version, from.version) === false ? { sentence: `⚠ STANDBY ${slotLabel(to)} (${versionText(next.version)}) is not newer than LIVE ${slotLabel(live)} (${versionText(from.version)}).` } : undefined;
    },
  },
  {
    id: 'idle-close',
    applies: SWITCHES,
    severity: 'warn',
    judge: ({ snap }) => {
      const finding = snap.lb.findings?.find((f) => f.id === 'idle-close');
      return finding && { sentence: '⚠ This switch will reset the keep-alive connections idle at that moment (no option idle-close-on-response): a few requests may fail. Check Setup (bluegreen doctor --fix) adds it.', fixFirst: !!finding.fix };
    },
  },
  {
    id: 'standby-health',
    applies: SENDS_TRAFFIC,
    severity: 'refuse',
    judge: (j) => {
      const slot = j.snap.slots[j.to];
      if (slot.health === 'up') return undefined;
      return { sentence: `STANDBY ${slotLabel(j.to)} is not healthy (${slot.healthDetail ?? slot.error ?? slot.health}); ${consequence(j)}`, host: slot.host };
    },
    emergency: ({ snap, to }) => ({ sentence: `⚠ STANDBY ${slotLabel(to)} is NOT healthy: ${snap.slots[to].healthDetail ?? snap.slots[to].error ?? snap.slots[to].health}.` }),
  },
  {
    // Half the backend on new code, half on old: what clients get would depend on the server.
    id: 'servers-disagree',
    applies: SENDS_TRAFFIC,
    severity: 'refuse',
    judge: (j) => {
      const slot = j.snap.slots[j.to];
      if (!slot.serversDisagree) return undefined;
      return { sentence: `STANDBY ${slotLabel(j.to)}'s servers do not run the same code (${slot.serversDisagree}); deploy to it again so they match. ${consequence(j).replace(/^./, (c) => c.toUpperCase())}`, host: slot.host };
    },
    emergency: ({ snap, to }) => ({ sentence: `⚠ STANDBY ${slotLabel(to)}'s servers do not run the same code: ${snap.slots[to].serversDisagree}.` }),
  },
  {
    id: 'smoke',
    applies: SENDS_TRAFFIC,
    severity: 'refuse',
    judge: (j) => {
      const slot = j.snap.slots[j.to];
      if (smokeFailures(slot.smoke)) return { sentence: `STANDBY ${slotLabel(j.to)} fails ${failedSmoke(slot.smoke)}; ${consequence(j)}`, host: slot.host };
      if (!slot.smoke?.length || j.intent.kind === 'canary') return undefined;
      return { severity: 'note', sentence: `${slotLabel(j.to)} passes its ${slot.smoke.length} smoke test(s): ${slot.smoke.map((r) => r.name).join(', ')}.` };
    },
    emergency: ({ snap, to }) => {
      const failed = smokeFailures(snap.slots[to].smoke)!;
      return { sentence: `⚠ ${failed}.`, overrode: failed };
    },
  },
  {
    id: 'migrations',
    applies: ['release', 'canary', 'deploy'],
    severity: 'type',
    judge: ({ snap, evidence, intent, live, to, config }) => {
      const migrations = evidence?.migrations;
      if (!migrations) return undefined;
      const count = unsafeCount(migrations.report);
      if (!count) return migrations.lines.length ? { severity: 'note', sentence: migrations.lines.join('\n') } : undefined;
      const unsafe = migrations.report!.files.flatMap((f) => f.unsafe.map((u) => unsafeLine(f.path, u)));
      const overrode = `${count} migration statement(s) that break a rollback (${checkedBy(migrations.report!)}): ${unsafe.join('; ')}`;
      if (intent.unsafeMigrations === 'refuse') {
        return { severity: 'refuse', sentence: `the migrations between ${slotLabel(live)} and ${slotLabel(to)} break a rollback to ${slotSummary(snap.slots[live])} while both share one database: ${unsafe.join('; ')}. Go ahead anyway with --allow-unsafe-migrations`, host: config.slots[to].servers[0].ssh };
      }
      // --allow-unsafe-migrations spares a release the typing; a canary has always asked for it.
      return { severity: intent.unsafeMigrations === 'allow' && intent.kind !== 'canary' ? 'warn' : 'type', sentence: migrations.lines.join('\n'), overrode };
    },
  },
  {
    // The promotion gate (staging.required) on a deploy; on a switch, what staging holds of the commit going LIVE.
    id: 'staging-passed',
    applies: ['deploy', 'release', 'canary'],
    severity: 'refuse',
    judge: ({ config, evidence, intent, to }) => stagingVerdict(config.staging, evidence?.staging, intent, to),
  },
  {
    id: 'canary-ends',
    applies: SWITCHES,
    severity: 'note',
    judge: ({ snap, to }) => {
      const canary = snap.lb.canary;
      if (!canary) return undefined;
      return { sentence: canary.slot === to ? `Promotes the canary: ${canary.percent}% of clients go to ${slotLabel(to)} now; its rule is removed in the same change.` : `Ends the canary (${canary.percent}% to ${canary.backend}): its rule is removed in the same change.` };
    },
  },
  {
    id: 'drift',
    applies: SWITCHES,
    severity: 'warn',
    // Routing back to the state file's LIVE resolves its disagreement: the state-drift gate's note says so.
    judge: ({ snap, intent }) => snap.drift.filter((d) => !(intent.routeBack && d.kind === 'state-file-disagrees')).map((d) => ({ sentence: `⚠ ${d.message}` })),
  },
];
