// What the config tests share: the problems a bluegreen.yaml is refused with, and a HOME of the
// test's own (hosts are resolved with the user's ~/.ssh/config when bluegreen.yaml names none).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../../src/core/config/load';

export function problemsOf(text: string, file = '/work/bluegreen.yaml'): { line: number; col: number; message: string }[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return [...e.problems];
  }
  assert.fail('the config was accepted');
}

/** Each test of the suite it is called in runs with an empty HOME of its own; returns where it is now. */
export function withThrowawayHome(): () => string {
  let home = '';
  const home0 = process.env.HOME;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'bg-home-'));
    process.env.HOME = home;
  });
  afterEach(() => {
    process.env.HOME = home0;
    rmSync(home, { recursive: true, force: true });
  });
  return () => home;
}
