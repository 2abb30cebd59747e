import { doctor } from '../core/workflows/doctor';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

/** Check Setup: the doctor on the LB and every host (what each lacks, with the fix), and, when the person confirms, the lines added. */
export function checkLoadBalancer(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Check setup', arg, async (ctx) => (await doctor(ctx, { fix: true })).summary);
}
