import * as assert from 'node:assert/strict';
import { canaryChoices } from '../../src/ui/canaryChoices';

describe('Canary… while a canary runs', () => {
  it('offers to change its share, promote it or end it, each naming the slot it sends clients to', () => {
    assert.deepEqual(
      canaryChoices({ percent: 10 }, 'blue', 'green').map((c) => [c.choice, c.description]),
      [
        ['change', 'now 10% of the clients go to GREEN'],
        ['promote', 'release: every client to GREEN'],
        ['end', 'every client back to BLUE'],
      ],
    );
    assert.deepEqual(canaryChoices({ percent: 25 }, 'green', 'blue').map((c) => c.description), ['now 25% of the clients go to BLUE', 'release: every client to BLUE', 'every client back to GREEN']);
  });
});
