# shellcheck shell=sh
# Who holds the app's lock, without touching it (taking it, even for a moment, could make an
# operation starting then fail): "held" or "free", then the holder lock.sh recorded; nothing
# without a lock file. No `exit`: it runs as one section of a longer probe script.
# $1 the lock file
lock=$1
if [ -f "$lock" ]; then
  pid=$(sed -n 2p -- "$lock")
  state=free
  case $pid in
    '' | *[!0-9]*) ;;
    *) if [ -d "/proc/$pid" ]; then state=held; fi ;;
  esac
  echo "$state"
  head -n 1 -- "$lock" | head -c 2000
fi
