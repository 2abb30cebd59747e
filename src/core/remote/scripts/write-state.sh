# shellcheck shell=sh
# Writes the state file atomically: a temp file in the same directory, fsync, rename, so readers
# see the old file or the new one, never half. With $3, the file as it was is copied there first.
# Nothing is written through a symlink: the state file must be a plain file (or not exist yet),
# and a symlink where the old file is kept is removed first (exit 44: not a plain file).
# $1 the state file  $2 the new content, base64  $3 where to keep the old file (optional)
state=$1 content=$2 keep=${3:-}
dir=$(dirname -- "$state")
if [ -L "$state" ] || { [ -e "$state" ] && [ ! -f "$state" ]; }; then
  echo "$state is a symlink or not a plain file; refusing to write through it" >&2
  exit 44
fi
mkdir -p -- "$dir" || exit 40
if [ -n "$keep" ] && [ -e "$state" ]; then
  rm -f -- "$keep" && cp -p -- "$state" "$keep" || exit 43
fi
tmp=$(mktemp "$dir/.bluegreen-state.XXXXXX") || exit 40
printf '%s' "$content" | base64 -d > "$tmp" || { rm -f -- "$tmp"; exit 41; }
if [ -e "$state" ]; then
  chmod --reference="$state" "$tmp" 2>/dev/null
  chown --reference="$state" "$tmp" 2>/dev/null
fi
sync "$tmp" 2>/dev/null || sync
mv -f -- "$tmp" "$state" || { rm -f -- "$tmp"; exit 42; }
