import * as assert from 'node:assert/strict';
import { Pm2TableCondenser } from '../../src/core/ssh/pm2Table';

const TABLE = [
  '┌────┬───────────────┬─────────────┬─────────┬─────────┬──────────┬────────┬──────┬───────────┬──────────┬──────────┬──────────┬──────────┐',
  '│ id │ name          │ namespace   │ version │ mode    │ pid      │ uptime │ ↺    │ status    │ cpu      │ mem      │ user     │ watching │',
  '├────┼───────────────┼─────────────┼─────────┼─────────┼──────────┼────────┼──────┼───────────┼──────────┼──────────┼──────────┼──────────┤',
  '│ 0  │ demo-green    │ default     │ 1.2.0   │ fork    │ 4242     │ 0s     │ 3    │ online    │ 0%       │ 41.2mb   │ app      │ disabled │',
  '│ 1  │ worker        │ default     │ 1.2.0   │ fork    │ 0        │ 0      │ 15   │ errored   │ 0%       │ 0b       │ app      │ disabled │',
  '└────┴───────────────┴─────────────┴─────────┴─────────┴──────────┴────────┴──────┴───────────┴──────────┴──────────┴──────────┴──────────┘',
];

function through(lines: string[]): string[] {
  const condenser = new Pm2TableCondenser();
  return [...lines.flatMap((l) => condenser.line(l)), ...condenser.flush()];
}

describe("pm2's process table in a step's output", () => {
  it('becomes one line a process, with its status, pid, restarts and memory; other lines pass as they are', () => {
    assert.deepEqual(through(['[PM2] Applying action restartProcessId on app [demo-green](ids: [ 0 ])', '[PM2] [demo-green](0) ✓', ...TABLE, 'done']), [
      '[PM2] Applying action restartProcessId on app [demo-green](ids: [ 0 ])',
      '[PM2] [demo-green](0) ✓',
      'pm2: demo-green online · pid 4242 · ↺ 3 · mem 41.2mb',
      'pm2: worker errored · pid 0 · ↺ 15 · mem 0b',
      'done',
    ]);
  });

  it('a table cut short, or one without the columns it names, is given back whole', () => {
    assert.deepEqual(through(TABLE.slice(0, 4)), TABLE.slice(0, 4));
    assert.deepEqual(through([...TABLE.slice(0, 4), 'next line']), [...TABLE.slice(0, 4), 'next line']);
    const other = ['┌───┬───┐', '│ a │ b │', '├───┼───┤', '│ 1 │ 2 │', '└───┴───┘'];
    assert.deepEqual(through(other), other);
  });
});
