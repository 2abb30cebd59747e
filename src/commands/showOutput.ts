import { Deps } from '../ui/deps';

export function showOutput(deps: Deps): void {
  deps.output.show(true);
}
