# shellcheck shell=sh
# Sends one line to a Unix socket and prints everything it answers, with the host's socat or nc:
# for hosts that forbid stream-local forwarding, or are reached through a `via` prefix.
# $1 the socket  $2 the line  $3 seconds to wait
socket=$1 line=$2 seconds=$3
if command -v socat >/dev/null 2>&1; then
  printf '%s\n' "$line" | socat -t "$seconds" - "UNIX-CONNECT:$socket"
elif command -v nc >/dev/null 2>&1; then
  printf '%s\n' "$line" | nc -U -w "$seconds" "$socket"
else
  echo 'neither socat nor nc is installed, and the host does not allow stream-local forwarding' >&2
  exit 127
fi
