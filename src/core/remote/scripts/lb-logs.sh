# shellcheck shell=sh
# HAProxy's log on the load balancer: the file syslog writes it to, else systemd's journal of the
# haproxy unit, the last $1 lines, then (follow) every new one. When neither is there, the
# config's `log` lines, for the caller to say where HAProxy logs (exit 4).
# $1 lines  $2 follow|once  $3 haproxy.cfg
lines=$1 mode=$2 config=$3
printf 'tz %s\n' "$(date +%z)"
for file in /var/log/haproxy.log /var/log/haproxy/haproxy.log; do
  if [ -r "$file" ]; then
    printf 'files %s\n' "$file"
    if [ "$mode" = follow ]; then tail -n "$lines" -F -- "$file"; else tail -n "$lines" -- "$file"; fi | while IFS= read -r line; do printf 'lb %s\n' "$line"; done
    exit 0
  fi
done
if command -v journalctl >/dev/null 2>&1 && systemctl cat haproxy.service >/dev/null 2>&1; then
  printf 'files journal\n'
  if [ "$mode" = follow ]; then journalctl -u haproxy -n "$lines" -f -o short-iso --no-pager; else journalctl -u haproxy -n "$lines" -o short-iso --no-pager; fi 2>&1 | while IFS= read -r line; do printf 'lb %s\n' "$line"; done
  exit 0
fi
grep -E '^[[:space:]]*log[[:space:]]' -- "$config" 2>/dev/null | while IFS= read -r line; do printf 'log-line %s\n' "$line"; done
exit 4
