# shellcheck shell=sh
# Replaces haproxy.cfg with the candidate only if it still is the file that was read (sha256),
# the candidate passes validation, and — if the reload fails — puts the previous file back and
# reloads again. The candidate sits beside the config, so the final mv is an atomic rename.
# Exit codes: 30 changed since read, 31 cannot stage, 10 invalid, 33 its session is gone, 32 cannot replace, 20 reload failed.
# $1 haproxy.cfg  $2 its sha256 when read  $3 the new content, base64  $4 the validate command,
# naming the candidate ($1.bluegreen-new)  $5 the reload command  $6 the marker printed once reloaded
cfg=$1 expected=$2 content=$3 validate=$4 reload=$5 reloaded=$6
candidate="$cfg.bluegreen-new" previous="$cfg.bluegreen-previous"
current=$(sha256sum < "$cfg" | cut -d' ' -f1)
[ "$current" = "$expected" ] || { echo "$cfg changed since it was read; nothing was changed" >&2; exit 30; }
# rm first: a symlink planted where the candidate goes is never written through; cp -p so the
# candidate has the config's owner and mode.
{ rm -f -- "$candidate" && cp -p -- "$cfg" "$candidate" && printf '%s' "$content" | base64 -d > "$candidate"; } || { rm -f -- "$candidate"; exit 31; }
# In a subshell, like every command from the config: an `exit` in it ends that, not this script.
( eval "$validate" ) || { rm -f -- "$candidate"; echo 'the candidate config is invalid; nothing was changed' >&2; exit 10; }
# The point of no return. If the session that started this shell is gone (the client's
# connection dropped while it validated), the client has already said nothing was switched:
# do not switch behind its back (found by the soak).
kill -0 "$PPID" 2>/dev/null || { rm -f -- "$candidate"; echo 'the session that asked for this switch is gone; nothing was changed' >&2; exit 33; }
# Past it, the replacement and the reload (or the restore) finish even if a TERM comes.
trap '' TERM
{ rm -f -- "$previous" && cp -p -- "$cfg" "$previous" && mv -f -- "$candidate" "$cfg"; } || { rm -f -- "$candidate"; exit 32; }
if ! ( eval "$reload" ); then
  echo 'reload failed; restoring the previous config' >&2
  # By rename, never copied over the live file: a reload could read half of it.
  rm -f -- "$candidate" && cp -p -- "$previous" "$candidate" && mv -f -- "$candidate" "$cfg" && ( eval "$reload" )
  exit 20
fi
echo "$reloaded"
