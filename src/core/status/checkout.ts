/**
 * What the deployed checkout looks like, from shell builtins only: HEAD and the branch's
 * loose ref. Empty when that may not be enough: package.json, packed-refs or the tags
 * directory changed after the index was last written (a hand edit, a tag fetched after the
 * checkout), a packed branch ref, a worktree's `.git` file, no repository. Then git and
 * package.json are read every time, until the next checkout writes the index.
 * Run in the checkout's directory; sets `$fp` and prints it.
 */
export const CHECKOUT_FINGERPRINT = [
  'h=; r=; n=',
  '{ read -r h || [ -n "$h" ]; } 2>/dev/null < .git/HEAD',
  'case $h in "ref: "*) { read -r r || [ -n "$r" ]; } 2>/dev/null < ".git/${h#ref: }" || h= ;; esac',
  'for f in package.json .git/packed-refs .git/refs/tags; do if [ "$f" -nt .git/index ]; then n=${n}1; else n=${n}0; fi; done',
  `if [ -n "$h" ] && [ "$n" = 000 ]; then fp="$h $r"; printf '%s\\n' "$fp"; fi`,
].join('\n');

/** `git log -1 --format=%H%n%D`: the commit, then its decorations ("HEAD -> main, tag: v1.2.0, origin/main"). */
export function parseGitHead(output: string): { commit?: string; branch?: string; tag?: string } {
  const [commit, decorations = ''] = output.split('\n').map((l) => l.trim());
  const refs = decorations.split(', ').filter(Boolean);
  const head = refs.find((r) => r.startsWith('HEAD -> '));
  const tag = refs.find((r) => r.startsWith('tag: '));
  return { commit: /^[0-9a-f]{7,64}$/.test(commit) ? commit : undefined, branch: head?.slice('HEAD -> '.length), tag: tag?.slice('tag: '.length) };
}
