// What the staging suites share: the CLI in a workspace of their own, staging's record on the
// lab's staging host, and what a deploy to staging must leave as it was.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAGING_HOST } from '../../lab/topology';
import { StagingRecord, stagingFiles } from '../../src/core/state/stagingRecord';
import { pm2Info, resetLab } from './helpers';
import { lab } from './setup';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A workspace with the lab's bluegreen.yaml, on a lab with a staging host: a lab started with
 * --staging is used as it is; the suite's own lab gets one, and is put back after. Call in a
 * describe: it adds the before and after hooks. `resetAfter`: the suite leaves the lab changed
 * (it deploys to a slot, or moves the origin's branches), so the lab is reset after it even when
 * it came with staging.
 */
export function stagingWorkspace(prefix: string, resetAfter = false): { dir(): string; cli(...args: string[]): CliRun; configWith(name: string, edit: (yaml: string) => string): string } {
  let workspace = '';
  let addedStaging = false;
  before(async () => {
    if (!lab().topology.staging) {
      await resetLab({ ...lab().topology, staging: true });
      addedStaging = true;
    }
    workspace = mkdtempSync(path.join(os.tmpdir(), prefix));
    copyFileSync(lab().configFile, path.join(workspace, 'bluegreen.yaml'));
  });
  after(async () => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    if (addedStaging) {
      const without = { ...lab().topology };
      delete without.staging;
      await resetLab(without);
    } else if (resetAfter) await resetLab();
  });
  return {
    dir: () => workspace,
    cli(...args) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: workspace, encoding: 'utf8', timeout: 170_000, stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    /** A bluegreen.yaml of the workspace's own, edited from the lab's. */
    configWith(name, edit) {
      const file = path.join(workspace, name);
      const original = readFileSync(lab().configFile, 'utf8');
      const text = edit(original);
      assert.notEqual(text, original, 'the edit changed nothing');
      writeFileSync(file, text);
      return file;
    },
  };
}

export function stagingHome(): string {
  return lab().hosts[STAGING_HOST].home;
}

export function recordFile(): string {
  return stagingFiles(path.join(stagingHome(), 'app'), 'demo').record;
}

export function readRecord(): StagingRecord {
  return JSON.parse(readFileSync(recordFile(), 'utf8')) as StagingRecord;
}

export function originTip(branch: string): string {
  return execFileSync('git', ['rev-parse', branch], { cwd: lab().origin, encoding: 'utf8' }).trim();
}

/** What a deploy to staging must leave as it was: HAProxy's config and state file (bytes), both slots' pm2 processes. */
export function production(): { haproxy: string; state: string; blue: unknown; green: unknown } {
  return { haproxy: readFileSync(lab().haproxyConfig, 'latin1'), state: readFileSync(lab().stateFile, 'latin1'), blue: pm2Info('blue'), green: pm2Info('green') };
}

/** Runs `body` while staging's health check answers 503 (the lab app's switch for it). */
export function whileStagingUnhealthy<T>(body: () => T): T {
  const unhealthy = path.join(stagingHome(), 'unhealthy');
  writeFileSync(unhealthy, '');
  try {
    return body();
  } finally {
    rmSync(unhealthy);
  }
}
