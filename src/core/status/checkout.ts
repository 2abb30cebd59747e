import { fromHostIfAny, HOST_TEXT_LIMITS } from '../hostText';

/** `git log -1 --format=%H%n%D`: the commit, then its decorations ("HEAD -> main, tag: v1.2.0, origin/main"). */
export function parseGitHead(output: string): { commit?: string; branch?: string; tag?: string } {
  const [commit, decorations = ''] = output.split('\n').map((l) => l.trim());
  const refs = decorations.split(', ').filter(Boolean);
  const head = refs.find((r) => r.startsWith('HEAD -> '));
  const tag = refs.find((r) => r.startsWith('tag: '));
  return { commit: /^[0-9a-f]{7,64}$/.test(commit) ? commit : undefined, branch: fromHostIfAny(head?.slice('HEAD -> '.length), HOST_TEXT_LIMITS.name), tag: fromHostIfAny(tag?.slice('tag: '.length), HOST_TEXT_LIMITS.name) };
}
