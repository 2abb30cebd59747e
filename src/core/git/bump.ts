import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BlueGreenError } from '../errors';

const run = promisify(execFile);

export type BumpLevel = 'patch' | 'minor' | 'major';

export interface BumpPlan {
  workspace: string;
  from: string;
  to: string;
  tag: string;
  previousTag?: string;
  commits: string[];
  notesFile: string;
  branch: string;
  remote: string;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  try {
    return (await run('git', args, { cwd, timeout: 60000, maxBuffer: 16 << 20 })).stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new BlueGreenError('step-failed', `git ${args.join(' ')} failed in ${cwd}: ${(err.stderr || err.message).trim().split('\n').pop()}`, undefined, { cause: e });
  }
}

export function nextVersion(version: string, level: BumpLevel): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new BlueGreenError('refused', `package.json version "${version}" is not MAJOR.MINOR.PATCH`);
  const [major, minor, patch] = m.slice(1).map(Number);
  return level === 'major' ? `${major + 1}.0.0` : level === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

/** Checks the workspace can be released and works out the new version and its notes. */
export async function planBump(workspace: string, level: BumpLevel, remote = 'origin'): Promise<BumpPlan> {
  if (await git(workspace, 'status', '--porcelain', '--untracked-files=no')) throw new BlueGreenError('refused', `${workspace} has uncommitted changes; commit or stash them before a release`);
  const branch = await git(workspace, 'rev-parse', '--abbrev-ref', 'HEAD');
  if (branch === 'HEAD') throw new BlueGreenError('refused', `${workspace} is not on a branch; check out the branch to release from`);
  const pkg = JSON.parse(await readFile(path.join(workspace, 'package.json'), 'utf8')) as { version?: string };
  const from = pkg.version ?? '0.0.0';
  const to = nextVersion(from, level);
  const tag = `v${to}`;
  if (await git(workspace, 'tag', '--list', tag)) throw new BlueGreenError('refused', `tag ${tag} already exists`);
  const previousTag = await git(workspace, 'describe', '--tags', '--abbrev=0').catch(() => undefined);
  const log = await git(workspace, 'log', '--no-merges', '--format=%h %s (%an)', previousTag ? `${previousTag}..HEAD` : 'HEAD');
  return { workspace, from, to, tag, previousTag, commits: log ? log.split('\n') : [], notesFile: path.join(workspace, 'release-notes', `${tag}.md`), branch, remote };
}

export function draftNotes(plan: BumpPlan, date = new Date()): string {
  const since = plan.previousTag ? `since ${plan.previousTag}` : 'so far';
  return [`# ${plan.tag} — ${date.toISOString().slice(0, 10)}`, '', `Changes ${since}:`, '', ...(plan.commits.length ? plan.commits.map((c) => `- ${c}`) : ['- (no commits)']), ''].join('\n');
}

/** Raises the version (npm keeps package.json and its lock file as they were otherwise) and writes the draft notes. */
export async function writeBump(plan: BumpPlan): Promise<void> {
  await run('npm', ['version', plan.to, '--no-git-tag-version', '--allow-same-version'], { cwd: plan.workspace, timeout: 120000 });
  await mkdir(path.dirname(plan.notesFile), { recursive: true });
  await writeFile(plan.notesFile, draftNotes(plan));
}

/** Commits `Release vX.Y.Z`, tags it and pushes both; returns the tag's commit. */
export async function commitTagPush(plan: BumpPlan): Promise<string> {
  const files = ['package.json', path.relative(plan.workspace, plan.notesFile)];
  if (await git(plan.workspace, 'ls-files', 'package-lock.json')) files.push('package-lock.json');
  await git(plan.workspace, 'add', '--', ...files);
  await git(plan.workspace, 'commit', '-m', `Release ${plan.tag}`);
  await git(plan.workspace, 'tag', '-a', plan.tag, '-m', `Release ${plan.tag}`);
  await git(plan.workspace, 'push', plan.remote, `HEAD:refs/heads/${plan.branch}`, `refs/tags/${plan.tag}`);
  return git(plan.workspace, 'rev-parse', 'HEAD');
}

/** Puts the workspace back as planBump found it (it was clean): the version and the draft notes undone. */
export async function discardBump(plan: BumpPlan): Promise<void> {
  const tracked = ['package.json'];
  if (await git(plan.workspace, 'ls-files', 'package-lock.json')) tracked.push('package-lock.json');
  await git(plan.workspace, 'checkout', '--', ...tracked);
  // Once committed (a push that failed after the commit), the notes belong to the commit.
  const notes = path.relative(plan.workspace, plan.notesFile);
  if (!(await git(plan.workspace, 'ls-files', '--', notes))) await rm(plan.notesFile, { force: true });
}
