import { Deps } from '../ui/deps';
import { canary } from './canary';

/** End Canary: every client back to LIVE, in one step (the canary's own dialog confirms). */
export function endCanary(deps: Deps, arg?: unknown): Promise<boolean> {
  return canary(deps, arg, 0);
}
