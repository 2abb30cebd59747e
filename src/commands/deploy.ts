import * as vscode from 'vscode';
import { chooseDefaultRef } from '../core/git/localHead';
import { deploy as deployWorkflow, validateRef } from '../core/workflows/deploy';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';
import { errorMessage } from '../core/errors';
import { RELEASE } from '../ui/nextSteps';
import { askInput } from '../ui/sinks';
import { redact } from '../core/redact';

/** Deploy to STANDBY; from a tree item, that slot (refused if it is LIVE). */
export async function deploy(deps: Deps, arg?: unknown): Promise<boolean> {
  return runOperation(deps, 'Deploy', arg, async (ctx, target) => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const choice = folder ? await chooseDefaultRef(folder, ctx.app.deploy.branch) : { ref: undefined, notes: [] };
    for (const note of choice.notes) ctx.reporter.info(note);
    return (await deployWorkflow(ctx, { ref: choice.ref, target: target?.slot })).summary;
  }, [RELEASE]);
}

/** Deploy a branch, tag or commit the person types. */
export async function deployRef(deps: Deps, arg?: unknown): Promise<boolean> {
  const ref = await askInput({
    title: redact('Blue-Green: deploy to STANDBY'),
    prompt: redact('Branch, tag or commit to deploy'),
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        validateRef(v.trim());
        return undefined;
      } catch (e) {
        return errorMessage(e);
      }
    },
  });
  if (!ref) return false;
  return runOperation(deps, 'Deploy', arg, async (ctx, target) => {
    return (await deployWorkflow(ctx, { ref: ref.trim(), target: target?.slot })).summary;
  }, [RELEASE]);
}
