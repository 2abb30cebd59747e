import { release as releaseWorkflow, ReleaseOptions } from '../core/workflows/release';
import { Deps } from '../ui/deps';
import { runOperation } from '../ui/operations';

function switchCommand(title: string, options: ReleaseOptions) {
  return (deps: Deps, arg?: unknown): Promise<boolean> =>
    runOperation(deps, title, arg, async (ctx) => {
      return (await releaseWorkflow(ctx, options)).summary;
    });
}

export const release = switchCommand('Release', { kind: 'release' });
export const releaseEmergency = switchCommand('Emergency release', { kind: 'release', emergency: true });
export const rollback = switchCommand('Rollback', { kind: 'rollback' });
