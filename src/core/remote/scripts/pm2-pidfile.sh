# shellcheck shell=sh
# pm2's pid file answers "is it running, since when" without starting pm2 (`pm2 jlist` costs a
# Node start and prints every process's environment). Shell builtins only: the start time is
# field 22 of /proc/PID/stat, in USER_HZ ticks, which Linux exposes as 100 per second on every
# architecture; `ps` only where /proc is missing. The shell reads that file a byte at a time, so
# a start already known for the same pid and boot is not read again. Only when the process is
# not running does it ask pm2 itself, for the status and restart count.
# $1 the pm2 process name  $2 the marker  $3 "PID BOOT_ID" of a known start  $4 its ticks
name=$1 mark=$2 known=${3:-} known_ticks=${4:-}
h="${PM2_HOME:-$HOME/.pm2}" f="" pid="" boot="" start=""
for p in "$h"/pids/"$name"-*.pid; do
  b=${p##*/} rest=${b#"$name"-} rest=${rest%.pid}
  case "$rest" in '' | *[!0-9]*) ;; *) f=$p ;; esac
done
if [ -n "$f" ]; then { read -r pid || :; } < "$f" 2>/dev/null; fi
case "$pid" in "" | *[!0-9]*) pid="" ;; esac
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  { read -r boot < /proc/sys/kernel/random/boot_id; } 2>/dev/null
  if [ -n "$known" ] && [ -n "$boot" ] && [ "$pid $boot" = "$known" ]; then start=$known_ticks; fi
  # shellcheck disable=SC2086 # split on purpose: the fields after the command name
  if [ -z "$start" ] && { read -r st < "/proc/$pid/stat"; } 2>/dev/null; then set -- ${st##*) }; shift 19; start=$1; fi
  if [ -n "$start" ] && { read -r up _ < /proc/uptime; } 2>/dev/null; then
    age=$((${up%.*} - start / 100))
  else
    age=$(ps -o etimes= -p "$pid" | tr -d " ")
  fi
  echo "$mark $pid $age $boot $start"
else
  pm2 jlist
fi
