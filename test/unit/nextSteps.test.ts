import * as assert from 'node:assert/strict';
import { WorkflowError } from '../../src/core/workflows/parts/operation';
import { nextStepsAfterFailure } from '../../src/ui/nextSteps';

const refused = (step: string, gate?: string) => new WorkflowError('refused', step, undefined, 'why', 'Nothing was changed.', [], { gate });

describe('what a refusal offers next', () => {
  it("the promotion gate's refusal of a deploy offers staging, promotion and the typed override", () => {
    assert.deepEqual(nextStepsAfterFailure(refused('Deploy', 'staging-passed')).map((n) => n.command), ['bluegreen.deployToStaging', 'bluegreen.promote', 'bluegreen.deploySkippingStaging']);
  });

  it('never offers the operation that just refused (a refused promotion does not offer Promote again)', () => {
    assert.deepEqual(nextStepsAfterFailure(refused('Promote to STANDBY', 'staging-passed')).map((n) => n.command), ['bluegreen.deployToStaging', 'bluegreen.deploySkippingStaging']);
  });

  it('offers nothing for a refusal without a gate, or for a failure that is not a refusal', () => {
    assert.deepEqual(nextStepsAfterFailure(refused('Deploy')), []);
    assert.deepEqual(nextStepsAfterFailure(new WorkflowError('step-failed', 'Deploy', undefined, 'x', 'y', [], { gate: 'staging-passed' })), []);
    assert.deepEqual(nextStepsAfterFailure(new Error('x')), []);
  });
});
