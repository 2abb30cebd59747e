# shellcheck shell=sh
# The files HAProxy loads besides the one Blue-Green switches, in HAProxy's order: each named
# file, and for a directory its *.cfg files in byte order. Each file's text follows a line
# "$1 <path>" ($1 carries a nonce, so no file can forge one); an unreadable file is a line
# "$1! <path>".
# $1 the mark; $2… the files and directories
mark=$1
shift
LC_ALL=C
export LC_ALL
for s in "$@"; do
  if [ -d "$s" ]; then
    for f in "$s"/*.cfg; do
      [ -f "$f" ] || continue
      if [ -r "$f" ]; then printf '%s %s\n' "$mark" "$f"; cat -- "$f"; printf '\n'; else printf '%s! %s\n' "$mark" "$f"; fi
    done
  elif [ -r "$s" ]; then
    printf '%s %s\n' "$mark" "$s"
    cat -- "$s"
    printf '\n'
  else
    printf '%s! %s\n' "$mark" "$s"
  fi
done
