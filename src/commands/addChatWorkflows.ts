import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChatEditor, chatWorkflowFiles } from '../core/agent/chatWorkflows';
import { Deps } from '../ui/deps';
import { showError, showInfo } from '../ui/sinks';
import { redact } from '../core/redact';

function editorInUse(): ChatEditor {
  const name = vscode.env.appName.toLowerCase();
  return name.includes('windsurf') ? 'windsurf' : name.includes('cursor') ? 'cursor' : 'vscode';
}

/**
 * Writes /bump, /release and /sync (and /staging-first when an app has a staging) for the editor in use, then opens each one: the modal lists
 * only their paths (their text would make it taller than the window), the editors show what
 * they say. A file that is already there is never overwritten.
 */
export async function addChatWorkflows(deps: Deps): Promise<boolean> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    void showError(redact('Blue-Green: open the app\'s folder first; the chat workflows live in it.'));
    return false;
  }
  const files = await Promise.all(
    chatWorkflowFiles(editorInUse(), !!deps.model.config?.apps.some((a) => a.staging)).map(async (f) => {
      const current = await readFile(path.join(folder, f.path), 'utf8').catch(() => undefined);
      return { ...f, state: current === undefined ? ('new' as const) : current === f.text ? ('same' as const) : ('yours' as const) };
    }),
  );
  const toWrite = files.filter((f) => f.state === 'new');
  const kept = files.filter((f) => f.state === 'yours');
  if (!toWrite.length) {
    void showInfo(redact(`Blue-Green: the chat workflows are already there${kept.length ? ` (kept as you changed them: ${kept.map((f) => f.path).join(', ')})` : ''}.`));
    return true;
  }
  const names = toWrite.map((f) => `/${path.basename(f.path).split('.')[0]}`).join(', ');
  const answer = await deps.confirm.confirm({
    title: `Add ${names} to this workspace? They will open for review.`,
    detail: [...toWrite.map((f) => f.path), ...(kept.length ? [`Kept as they are (changed by you): ${kept.map((f) => f.path).join(', ')}`] : [])].join('\n'),
    action: 'Add Workflows',
  });
  if (!answer.ok) return false;
  for (const f of toWrite) {
    await mkdir(path.dirname(path.join(folder, f.path)), { recursive: true });
    await writeFile(path.join(folder, f.path), f.text, { flag: 'wx' });
  }
  deps.output.info(redact(`[workflows] wrote ${toWrite.map((f) => f.path).join(', ')}`));
  for (const f of toWrite) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, f.path)), { preview: false });
  void showInfo(redact(`Blue-Green: added ${names}; they are open for review.`));
  return true;
}
