# shellcheck shell=sh
# Puts back the config the switch saved, by rename (never copied over the live file: a reload,
# or a master still reading it, could read half of it), and reloads.
# $1 haproxy.cfg  $2 the reload command
cfg=$1 reload=$2
rm -f -- "$cfg.bluegreen-new" && cp -p -- "$cfg.bluegreen-previous" "$cfg.bluegreen-new" && mv -f -- "$cfg.bluegreen-new" "$cfg" && ( eval "$reload" )
