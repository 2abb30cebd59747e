import { AppSnapshot } from './snapshot';

/** Which of Deploy and Release the view's title bar offers: the ones that could go ahead for some app now. */
export interface TitleActions {
  /** LIVE is known, so there is a STANDBY to deploy to. */
  canDeploy: boolean;
  /** LIVE is known and STANDBY answers its health check: a release would not be refused for health. */
  canRelease: boolean;
}

export function titleActions(apps: readonly AppSnapshot[]): TitleActions {
  const known = apps.filter((a) => a.live && a.standby && a.lb.reachable);
  return { canDeploy: known.length > 0, canRelease: known.some((a) => a.slots[a.standby!].health === 'up') };
}
