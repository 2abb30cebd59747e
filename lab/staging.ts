// `npm run lab -- up --staging`: a staging host for the first app, following the origin's develop.
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LabInfo, ServerRun } from './lab';
import { exec } from './processes';

/** develop's tip: one release ahead of main, so a deploy to staging visibly moves it. */
export const DEVELOP_VERSION = '1.3.0';
/** Where staging starts: main's last release, on branch develop. */
const STAGING_STARTS_AT = 'v1.2.0';

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Lab', GIT_AUTHOR_EMAIL: 'lab@bluegreen.invalid', GIT_COMMITTER_NAME: 'Lab', GIT_COMMITTER_EMAIL: 'lab@bluegreen.invalid' };
  return (await exec('git', args, { cwd, env })).stdout.trim();
}

/** Adds a develop branch to the lab's origin when it has none; returns what the staging server runs. */
export async function withDevelop(info: LabInfo, app: string): Promise<ServerRun> {
  const has = await git(info.origin, 'branch', '--list', 'develop');
  if (!has) {
    const work = path.join(os.tmpdir(), `bg-lab-develop-${process.pid}`);
    await rm(work, { recursive: true, force: true });
    await git(info.dir, 'clone', '-q', info.origin, work);
    await git(work, 'checkout', '-q', '-b', 'develop');
    for (const file of ['package.json', 'package-lock.json']) {
      const json = JSON.parse(await readFile(path.join(work, file), 'utf8')) as { version: string; packages?: Record<string, { version: string }> };
      json.version = DEVELOP_VERSION;
      if (json.packages?.['']) json.packages[''].version = DEVELOP_VERSION;
      await writeFile(path.join(work, file), JSON.stringify(json, null, 2) + '\n');
    }
    await writeFile(path.join(work, 'CHANGES.md'), `${await readFile(path.join(work, 'CHANGES.md'), 'utf8')}- ${DEVELOP_VERSION} (in development)\n`);
    await git(work, 'commit', '-q', '-am', `Develop v${DEVELOP_VERSION}`);
    await git(work, 'push', '-q', 'origin', 'develop');
    await rm(work, { recursive: true, force: true });
  }
  return { pm2: `${app}-staging`, env: 'staging', branch: 'develop', at: STAGING_STARTS_AT };
}
