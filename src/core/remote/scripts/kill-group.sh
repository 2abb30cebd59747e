# shellcheck shell=sh
# TERM the process group, give it two seconds, then KILL. `kill -SIG -PGID` is the form dash
# accepts. A killed process stays a zombie until its parent (or init) reaps it, and `kill -0`
# still finds zombies, so the group counts as gone when ps shows none of it but zombies.
# $1 the process group (the pid of the shell that leads it)
pgid=$1
kill -TERM -"$pgid" 2>/dev/null || kill -TERM "$pgid" 2>/dev/null
alive() {
  if table=$(ps -eo pgid=,stat= 2>/dev/null); then
    printf '%s\n' "$table" | awk -v g="$pgid" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
  else
    kill -0 -"$pgid" 2>/dev/null
  fi
}
i=0
while [ "$i" -lt 40 ]; do
  alive || exit 0
  sleep 0.05
  i=$((i + 1))
done
kill -KILL -"$pgid" 2>/dev/null
true
