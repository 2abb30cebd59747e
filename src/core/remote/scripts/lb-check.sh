# shellcheck shell=sh
# What `bluegreen doctor` checks on the load balancer beside haproxy.cfg: whether the state
# file's folder can be written (or made), whether each sudo the config names runs without a
# password, and whether the validate command runs on the config as it is. Reads only.
# $1 the state file's folder  $2 the validate command, filled in  $3… each sudo the config names
folder=$1 validate=$2
shift 2
existing=$folder
while [ ! -e "$existing" ]; do existing=$(dirname -- "$existing"); done
if [ -d "$folder" ] && [ -w "$folder" ]; then
  echo 'state-folder writable'
elif [ ! -e "$folder" ] && [ -d "$existing" ] && [ -w "$existing" ]; then
  printf 'state-folder creatable %s\n' "$existing"
else
  printf 'state-folder blocked %s\n' "$existing"
fi
printf 'user %s\n' "$(id -un)"
for sudo in "$@"; do
  if said=$("$sudo" -n true 2>&1 </dev/null); then
    printf 'sudo ok %s\n' "$sudo"
  else
    printf 'sudo asks %s %s\n' "$sudo" "$(printf '%s\n' "$said" | tail -n 1)"
  fi
done
if said=$(timeout 30 sh -c "$validate" 2>&1 </dev/null); then
  echo 'validate ok'
else
  printf 'validate fails %s\n' "$(printf '%s\n' "$said" | tail -n 1)"
fi
