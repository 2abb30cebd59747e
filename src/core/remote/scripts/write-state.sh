# shellcheck shell=sh
# Writes the state file atomically: a temp file in the same directory, fsync, rename, so readers
# see the old file or the new one, never half. With $3, the file as it was is copied there first.
# Nothing is written through a symlink: the state file must be a plain file (or not exist yet),
# and a symlink where the old file is kept is removed first (exit 44: not a plain file).
# History entries moving out of the state file are appended to STATE.history.jsonl first, so a
# crash in between leaves an entry in both files, never in neither.
# $1 the state file  $2 the new content, base64  $3 where to keep the old file (optional)
# $4 history lines to append to the rotated file, base64 (optional)
state=$1 content=$2 keep=${3:-} moved=${4:-}
dir=$(dirname -- "$state")
if [ -L "$state" ] || { [ -e "$state" ] && [ ! -f "$state" ]; }; then
  echo "$state is a symlink or not a plain file; refusing to write through it" >&2
  exit 44
fi
mkdir -p -- "$dir" || exit 40
if [ -n "$moved" ]; then
  rotated="$state.history.jsonl"
  if [ -L "$rotated" ] || { [ -e "$rotated" ] && [ ! -f "$rotated" ]; }; then
    echo "$rotated is a symlink or not a plain file; refusing to write through it" >&2
    exit 44
  fi
  printf '%s' "$moved" | base64 -d >> "$rotated" || exit 45
  sync "$rotated" 2>/dev/null || sync
fi
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
