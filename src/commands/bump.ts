import * as vscode from 'vscode';
import { BumpLevel, nextVersion } from '../core/git/bump';
import { bump as bumpWorkflow } from '../core/workflows/bump';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { RELEASE } from '../ui/nextSteps';
import { pick, showError } from '../ui/sinks';
import { redact } from '../core/redact';

/** Bump: pick the level here; the core drafts, asks (the notes open for review), commits, tags, pushes and deploys. */
export async function bump(deps: Deps, arg?: unknown): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    void showError(redact('Blue-Green: open the app\'s repository to bump its version.'));
    return false;
  }
  let current: string;
  try {
    current = (JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    void showError(redact(`Blue-Green: ${folder} has no package.json with a version to bump.`));
    return false;
  }
  const levels: BumpLevel[] = ['patch', 'minor', 'major'];
  const picked = await pick(
    levels.map((level) => ({ label: redact(level), description: redact(`${current} → ${safeNext(current, level)}`), level })),
    { title: redact('Blue-Green: bump the version, then deploy it to STANDBY') },
  );
  if (!picked) return false;
  return runOperation(deps, `Bump ${picked.level}`, arg, async (ctx) => {
    const r = await bumpWorkflow(ctx, {
      workspace: folder,
      level: picked.level,
      review: async (plan) => void (await vscode.window.showTextDocument(vscode.Uri.file(plan.notesFile), { preview: false })),
      beforeCommit: async () => void (await vscode.workspace.saveAll(false)),
    });
    return r.summary;
  }, [RELEASE]);
}

function safeNext(version: string, level: BumpLevel): string {
  try {
    return nextVersion(version, level);
  } catch {
    return '?';
  }
}
