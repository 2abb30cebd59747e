# shellcheck shell=sh
# Takes the app's lock with flock(1) and holds it while stdin stays open: EOF (a release, or
# a dropped connection) ends `cat`, and with it the last holder of fd 9, so the kernel frees it.
# $1 the lock file  $2 who holds it (JSON)  $3 the marker printed once held  $4 the marker printed when busy
# $5 a folder to make first when missing (optional: staging's lock is the first file in its folder)
lock=$1 holder=$2 held=$3 busy=$4 folder=${5:-}
if [ -n "$folder" ]; then
  mkdir -p -- "$folder" || { echo "cannot make the folder $folder for the lock" >&2; exit 70; }
fi
if [ -L "$lock" ] || { [ -e "$lock" ] && [ ! -f "$lock" ]; }; then
  echo "the lock file $lock is a symlink or not a plain file; refusing to open it" >&2
  exit 72
fi
exec 9>>"$lock" || { echo "cannot open the lock file $lock" >&2; exit 70; }
command -v flock >/dev/null 2>&1 || { echo 'flock (util-linux) is not installed on the LB host' >&2; exit 71; }
if ! flock -n 9; then
  # The holder names itself just after it takes the lock: until the pid on line 2 is alive, the
  # first line is still the last holder's (found by the CLI's row 17 test). Wait for it, briefly.
  tries=0
  while [ "$tries" -lt 30 ]; do
    pid=$(sed -n 2p -- "$lock")
    case $pid in
      '' | *[!0-9]*) ;;
      *) if [ -d "/proc/$pid" ]; then break; fi ;;
    esac
    sleep 0.1
    tries=$((tries + 1))
  done
  printf '%s ' "$busy"
  head -n 1 "$lock" | head -c 2000
  echo
  exit 75
fi
# The second line is this shell's pid, which `exec cat` keeps: while it lives, the lock is held.
printf '%s\n%s\n' "$holder" "$$" > "$lock"
echo "$held"
exec cat >/dev/null
