import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { assertSafe, fillTemplate, shQuote } from '../../src/core/shell';
import { isBlueGreenError } from '../../src/core/errors';

describe('shell quoting', () => {
  it('passes any value through sh literally', () => {
    for (const v of [`it's`, '$(id)', '`id`', 'a\nb', '; rm -rf /', '"', '', '\\', '*']) {
      assert.equal(execFileSync('sh', ['-c', `printf '%s' ${shQuote(v)}`]).toString(), v);
    }
  });

  it('fills command templates with quoted values and leaves unknown placeholders', () => {
    assert.equal(fillTemplate('pm2 restart {pm2} --x {other}', { pm2: "a'b" }), `pm2 restart 'a'\\''b' --x {other}`);
  });

  it('validates names before they reach a command', () => {
    assert.equal(assertSafe('haproxyName', 'demo_blue', 'backend'), 'demo_blue');
    assert.throws(() => assertSafe('haproxyName', '-x', 'backend'), (e: unknown) => isBlueGreenError(e, 'unsafe-value'));
    assert.throws(() => assertSafe('pm2Name', 'a;b', 'pm2'), (e: unknown) => isBlueGreenError(e, 'unsafe-value'));
  });
});
