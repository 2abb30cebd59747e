import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fillTemplate, shQuote } from '../../src/core/shell';
import { validateRef } from '../../src/core/workflows/deploy';
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

  it('accepts branches, tags and commits as deploy refs, and nothing a shell or git would misread', () => {
    for (const ok of ['main', 'release/2.4', 'v1.2.0', 'a1b2c3d', 'e2c7970a1b2c3d4e5f60718293a4b5c6d7e8f901']) assert.equal(validateRef(ok), ok);
    for (const bad of ['-x', '--upload-pack=sh', 'a..b', 'main;id', '$(id)', 'a b', 'main/', 'x@{1}']) {
      assert.throws(() => validateRef(bad), (e: unknown) => isBlueGreenError(e, 'unsafe-value'), bad);
    }
  });
});
