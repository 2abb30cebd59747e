# shellcheck shell=sh
# What `bluegreen doctor` checks on a slot's server, in the shell every deploy step runs in:
# the checkout (a git repository with the remote and its branch, reachable from here, writable),
# the commands the deploy runs, and, when one is missing, where a version manager put it. One
# "key value" line each. Reads only (git ls-remote asks the remote, without a prompt).
# $1 the checkout  $2 the git remote  $3 the branch  $4… the commands to find
dir=$1 remote=$2 branch=$3
shift 3
printf 'home %s\n' "$HOME"
printf 'path %s\n' "$PATH"
printf 'shell %s\n' "$(getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)"
for tool in "$@"; do
  if found=$(command -v -- "$tool" 2>/dev/null); then printf 'tool %s %s\n' "$tool" "$found"; else printf 'tool %s\n' "$tool"; fi
done
if [ ! -d "$dir" ]; then
  echo 'dir no'
elif ! git -C "$dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo 'dir yes'
  echo 'git no'
else
  echo 'dir yes'
  echo 'git yes'
  top=$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null)
  printf 'toplevel %s\n' "$top"
  if [ -w "$dir" ] && [ -w "$top/.git" ]; then echo 'writable yes'; else echo 'writable no'; fi
  if url=$(git -C "$dir" remote get-url "$remote" 2>/dev/null); then
    printf 'remote %s\n' "$url"
    if heads=$(GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND='ssh -o BatchMode=yes' timeout 20 git -C "$dir" ls-remote --heads "$remote" "refs/heads/$branch" 2>&1); then
      if [ -n "$heads" ]; then echo 'branch yes'; else echo 'branch no'; fi
    else
      printf 'unreachable %s\n' "$(printf '%s\n' "$heads" | tail -n 1)"
    fi
  else
    echo 'remote none'
  fi
fi
if [ -s "$HOME/.nvm/nvm.sh" ]; then echo 'nvm yes'; fi
if [ -f "$HOME/.bashrc" ]; then
  # The line that ends ~/.bashrc early for a shell that is not interactive, and where nvm is loaded.
  guard=$(grep -n -E '^[[:space:]]*(case[[:space:]]+"?\$-"?[[:space:]]+in|\[\[?[[:space:]]+-z[[:space:]]+"?\$\{?PS1|\[\[?[[:space:]]+"?\$-"?[[:space:]]+!?=)' "$HOME/.bashrc" | head -n 1 | cut -d: -f1)
  loads=$(grep -n -E 'nvm\.sh|NVM_DIR' "$HOME/.bashrc" | head -n 1 | cut -d: -f1)
  printf 'bashrc %s %s\n' "${guard:-0}" "${loads:-0}"
fi
for found in "$HOME"/.nvm/versions/node/*/bin/npm "$HOME/.volta/bin/npm" "$HOME"/.local/share/fnm/node-versions/*/installation/bin/npm /usr/local/bin/npm /opt/*/bin/npm; do
  if [ -x "$found" ]; then printf 'npm-at %s\n' "$found"; fi
done
