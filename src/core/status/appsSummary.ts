import { AppSnapshot, liveSlot, severity, slotList } from './snapshot';

/** The worst thing about one app, in a few words for the badge ("LIVE unhealthy"), or nothing. */
export function appProblem(app: AppSnapshot): string | undefined {
  const live = liveSlot(app);
  if (!app.lb.reachable) return 'load balancer unreachable';
  if (!live) return 'LIVE unknown';
  if (app.lb.strayRoutes?.length) return 'traffic split';
  if (live.health !== 'up') return 'LIVE unhealthy';
  if (app.drift.length) return 'drift';
  const standby = app.standby && app.slots[app.standby];
  if (!standby || standby.health !== 'up') return 'STANDBY unhealthy';
  if (slotList(app).some((s) => s.smoke?.some((r) => !r.ok))) return 'smoke tests failing';
  return undefined;
}

/** Several apps in one line: "2 apps: all LIVE healthy", or the worst one's problem and how many more have one. */
export function appsSummary(apps: readonly AppSnapshot[]): string {
  const rank = { error: 0, warning: 1, ok: 2 } as const;
  const troubled = apps.filter((a) => severity(a) !== 'ok').sort((a, b) => rank[severity(a)] - rank[severity(b)]);
  if (!troubled.length) return `${apps.length} apps: all LIVE healthy`;
  const [worst] = troubled;
  return `${apps.length} apps: ${worst.name} ${appProblem(worst) ?? 'needs attention'}${troubled.length > 1 ? ` (+${troubled.length - 1} more)` : ''}`;
}
