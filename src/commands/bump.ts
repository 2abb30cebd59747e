import * as vscode from 'vscode';
import { BumpLevel, commitTagPush, nextVersion, planBump, writeBump } from '../core/git/bump';
import { errorMessage } from '../core/errors';
import { deploy as deployWorkflow } from '../core/workflows/deploy';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';

const run = promisify(execFile);

/**
 * Bump: raise the version, draft release notes from the commits since the last tag (opened
 * for review), commit `Release vX.Y.Z`, tag, push, then deploy the tag to STANDBY.
 */
export async function bump(deps: Deps, arg?: unknown): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    void vscode.window.showErrorMessage('Blue-Green: open the app\'s repository to bump its version.');
    return false;
  }
  let current: string;
  try {
    current = (JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    void vscode.window.showErrorMessage(`Blue-Green: ${folder} has no package.json with a version to bump.`);
    return false;
  }
  const levels: BumpLevel[] = ['patch', 'minor', 'major'];
  const picked = await vscode.window.showQuickPick(
    levels.map((level) => ({ label: level, description: `${current} → ${safeNext(current, level)}`, level })),
    { title: 'Blue-Green: bump the version, then deploy it to STANDBY' },
  );
  if (!picked) return false;
  const remote = deps.model.config?.apps[0]?.deploy.remote ?? 'origin';
  let plan;
  try {
    plan = await planBump(folder, picked.level, remote);
    await writeBump(plan);
  } catch (e) {
    void vscode.window.showErrorMessage(`Blue-Green: ${errorMessage(e)}`);
    return false;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(plan.notesFile), { preview: false });
  const go = 'Commit, Tag, Push & Deploy';
  const answer = await vscode.window.showInformationMessage(
    `Release ${plan.tag}?`,
    { modal: true, detail: `package.json ${plan.from} → ${plan.to}; ${plan.commits.length} commit(s) since ${plan.previousTag ?? 'the start'}.\nEdit the release notes now if you like; they are committed as they are when you continue.\nThen ${plan.tag} is pushed to ${remote} and deployed to STANDBY.` },
    go,
  );
  if (answer !== go) {
    // Nothing half-done: the tree was clean before, so put it back as it was.
    await run('git', ['checkout', '--', 'package.json', ...((await run('git', ['ls-files', 'package-lock.json'], { cwd: folder })).stdout.trim() ? ['package-lock.json'] : [])], { cwd: folder });
    await rm(plan.notesFile, { force: true });
    return false;
  }
  await vscode.workspace.saveAll(false);
  const bumpPlan = plan;
  return runOperation(deps, `Release ${plan.tag}`, arg, async (ctx) => {
    ctx.reporter.step(`Commit, tag and push ${bumpPlan.tag}`);
    const started = Date.now();
    const commit = await commitTagPush(bumpPlan);
    ctx.reporter.stepDone(`Commit, tag and push ${bumpPlan.tag}`, Date.now() - started);
    ctx.reporter.info(`${bumpPlan.tag} is ${commit.slice(0, 7)} on ${remote}`);
    const r = await deployWorkflow(ctx, { ref: bumpPlan.tag });
    return `${bumpPlan.tag} is deployed to ${r.slot.toUpperCase()} (STANDBY); LIVE ${r.live.toUpperCase()} is unchanged. Release it when you have tested it.`;
  });
}

function safeNext(version: string, level: BumpLevel): string {
  try {
    return nextVersion(version, level);
  } catch {
    return '?';
  }
}
