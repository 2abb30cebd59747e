# shellcheck shell=sh
# A slot's log read by the command bluegreen.yaml gives it (logs.blue, logs.green), in the
# server's dir when it is there: its stdout tagged "out ", its stderr "err ", the last $2 lines of
# each when read once (a failing command shows as its err lines); followed, every line until the session ends (BLUEGREEN_FOLLOW=1 tells the
# command to follow).
# $1 follow|once  $2 lines  $3 the command, placeholders filled  $4 dir
mode=$1 lines=$2 command=$3 dir=$4
printf 'tz %s\n' "$(date +%z)"
cd -- "$dir" 2>/dev/null || true
tag() { while IFS= read -r line; do printf '%s %s\n' "$1" "$line"; done; }
if [ "$mode" = follow ]; then
  { { BLUEGREEN_FOLLOW=1 sh -c "$command" | tag out; } 2>&1 1>&3 | tag err; } 3>&1
  exit 0
fi
{ { BLUEGREEN_FOLLOW='' sh -c "$command" | tail -n "$lines" | tag out; } 2>&1 1>&3 | tail -n "$lines" | tag err; } 3>&1
