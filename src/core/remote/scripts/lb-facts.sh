# shellcheck shell=sh
# What `bluegreen init` proposes for a load balancer and cannot read in haproxy.cfg: whether
# systemd runs HAProxy (its reload), whether this user can write the config, and the first
# folder of two a state file could be made in. Reads only.
# $1 the config file
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy 2>/dev/null; then
  echo 'systemd yes'
else
  echo 'systemd no'
fi
if [ -w "$1" ]; then echo 'config-writable yes'; else echo 'config-writable no'; fi
for folder in /var/lib/bluegreen "$HOME/.local/state/bluegreen"; do
  existing=$folder
  while [ ! -e "$existing" ]; do existing=$(dirname -- "$existing"); done
  if [ -d "$existing" ] && [ -w "$existing" ]; then
    printf 'state-folder %s\n' "$folder"
    break
  fi
done
