import * as vscode from 'vscode';

/**
 * The context keys menus, the welcome view and the walkthrough read. VS Code cannot be asked
 * what a key is, so this remembers what each was last set to (the extension-host tests read it).
 */
export class ContextKeys {
  private readonly values = new Map<string, boolean>();

  get(key: string): boolean | undefined {
    return this.values.get(key);
  }

  async set(key: string, value: boolean): Promise<void> {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    await vscode.commands.executeCommand('setContext', key, value);
  }
}

/**
 * VS Code registers an extension's walkthrough up to 5 s after start-up (it first waits for its
 * experiments service), and a step whose completion expression is already true at that moment
 * never ticks in that session: the event is recorded as seen, without ticking. So every step's
 * expression also needs this key, set once the walkthrough is surely registered.
 */
const WALKTHROUGH_READY = 'bluegreen.walkthroughReady';
const WALKTHROUGH_REGISTERED_MS = 8000;

/** Sets WALKTHROUGH_READY once the walkthrough is registered, and `bluegreen.viewOpened` when the view is first shown. */
export function trackWalkthrough(keys: ContextKeys, view: vscode.TreeView<unknown>): vscode.Disposable {
  const timer = setTimeout(() => void keys.set(WALKTHROUGH_READY, true), WALKTHROUGH_REGISTERED_MS);
  timer.unref?.();
  const shown = () => view.visible && void keys.set('bluegreen.viewOpened', true);
  shown();
  const listener = view.onDidChangeVisibility(shown);
  return {
    dispose: () => {
      clearTimeout(timer);
      listener.dispose();
    },
  };
}
