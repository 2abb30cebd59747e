# shellcheck shell=sh
# What the deployed checkout looks like, from shell builtins only: HEAD and the branch's loose
# ref. Empty when that may not be enough: package.json, packed-refs or the tags directory
# changed after the index was last written (a hand edit, a tag fetched after the checkout), a
# packed branch ref, a worktree's `.git` file, no repository. Then git and package.json are read
# every time, until the next checkout writes the index. Sets `$fp` for the sections after it
# (so it runs in the probe's own shell, not a subshell) and prints it.
# $1 the checkout's directory
fp=''
if cd -- "$1" 2>/dev/null; then
  h='' r='' n=''
  { read -r h || [ -n "$h" ]; } 2>/dev/null < .git/HEAD
  case $h in "ref: "*) { read -r r || [ -n "$r" ]; } 2>/dev/null < ".git/${h#ref: }" || h='' ;; esac
  for f in package.json .git/packed-refs .git/refs/tags; do
    # shellcheck disable=SC3013 # -nt is in dash's and bash's test, the shells this runs in
    if [ "$f" -nt .git/index ]; then n=${n}1; else n=${n}0; fi
  done
  if [ -n "$h" ] && [ "$n" = 000 ]; then fp="$h $r"; printf '%s\n' "$fp"; fi
fi
