import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RefChoice {
  /** A commit to deploy, or undefined for the configured branch tip. */
  ref?: string;
  notes: string[];
}

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', args, { cwd, timeout: 10000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The default thing to deploy: the workspace's HEAD when it is pushed (the slots can
 * fetch it), else the configured branch tip — with a note on what was left out.
 */
export async function chooseDefaultRef(workspace: string, branch: string): Promise<RefChoice> {
  const head = await git(workspace, 'rev-parse', '--verify', 'HEAD');
  if (!head) return { notes: [`${workspace} is not a git checkout; deploying the tip of ${branch}`] };
  const notes: string[] = [];
  if (await git(workspace, 'status', '--porcelain', '--untracked-files=no')) notes.push('the workspace has uncommitted changes; they are not deployed');
  const remotes = await git(workspace, 'branch', '-r', '--contains', head);
  if (!remotes) {
    notes.push(`your HEAD ${head.slice(0, 7)} is not pushed; deploying the tip of ${branch} instead`);
    return { notes };
  }
  notes.push(`deploying your HEAD ${head.slice(0, 7)} (pushed: ${remotes.split('\n')[0].trim()})`);
  return { ref: head, notes };
}
