# shellcheck shell=sh
# An HTTP GET made by the host's shell, for servers that forbid TCP forwarding: bash's /dev/tcp
# for plain HTTP (no process to start), else curl (raw: headers, and the body as sent). Both
# print the raw answer. Exit codes as curl's: 7 refused, 28 no answer in time.
# $1 the URL  $2 http: or https:  $3 the host  $4 the port  $5 the request  $6 seconds to wait
# $7 the Host header  $8 how many bytes bash reads at most
url=$1 protocol=$2 host=$3 port=$4 request=$5 seconds=$6 host_header=$7 limit=$8
case "${BASH_VERSION:-}" in [4-9].* | [1-9][0-9].*) bash=1 ;; *) bash= ;; esac
if [ -n "$bash" ] && [ "$protocol" = http: ]; then
  # bash's own words for a refused connect name its line number and /dev/tcp: the exit code says it.
  # shellcheck disable=SC3023,SC3025 # bash only, checked above
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || { echo 'bash: /dev/tcp: connect failed' >&2; exit 7; }
  printf '%s' "$request" >&3
  # shellcheck disable=SC3045 # bash only, checked above
  IFS= read -r -N "$limit" -t "$seconds" answer <&3
  [ $? -gt 128 ] && { echo "no answer within $seconds s" >&2; exit 28; }
  printf '%s' "$answer"
elif command -v curl >/dev/null 2>&1; then
  curl -sS -i --raw --http1.1 --max-time "$seconds" -H "Host: $host_header" "$url"
else
  echo 'no bash or curl on this host to make the request, and it does not allow TCP forwarding' >&2
  exit 127
fi
