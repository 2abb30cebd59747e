# shellcheck shell=sh
# The command line of each running HAProxy process, one argument a line, each process ended
# by a line "$1": which files HAProxy loads. The scan of /proc uses builtins only (no process
# started per PID); a process that ends meanwhile is skipped.
# $1 the end mark
for p in /proc/[0-9]*; do
  c=''
  { read -r c < "$p/comm"; } 2>/dev/null || continue
  [ "$c" = haproxy ] || continue
  tr '\000' '\n' < "$p/cmdline" 2>/dev/null || continue
  printf '%s\n' "$1"
done
