import { doctor } from '../core/workflows/doctor';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

/** The doctor: what the LB's setup lacks, and, when the person confirms, the lines added. */
export function checkLoadBalancer(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Check load balancer', arg, async (ctx) => (await doctor(ctx, { fix: true })).summary);
}
