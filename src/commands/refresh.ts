import { Deps } from '../ui/deps';

export async function refresh(deps: Deps): Promise<void> {
  if (!deps.model.config) await deps.model.loadConfig();
  await deps.model.refresh();
}
