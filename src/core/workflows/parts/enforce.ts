import { refusalOf } from '../../plan/preflight';
import { Plan } from '../../plan/types';
import { WorkflowError } from './operation';

/** Stops the operation with the plan's first refusal: its gate's sentence, where it was found, and the state now. */
export function enforce(plan: Plan, title: string, stateNow: string): void {
  const refusal = refusalOf(plan);
  if (refusal) throw new WorkflowError('refused', title, refusal.host, refusal.sentence, stateNow, [], { gate: refusal.gate });
}
