# shellcheck shell=sh
# Backs up the slot's checkout (without node_modules and .git) before a deploy, keeping the newest few.
# $1 the app's directory  $2 the backups directory  $3 how many backups to keep
dir=$1 backups=$2 keep=$3
cd -- "$dir" || exit 1
mkdir -p -- "$backups" || exit 1
name="$(date -u +%Y%m%dT%H%M%SZ)-$(git rev-parse --short HEAD 2>/dev/null || echo unknown).tar.gz"
tar -czf "$backups/$name" --exclude=./node_modules --exclude=./.git . || exit 1
echo "saved $backups/$name"
# shellcheck disable=SC2012 # the names are our own (time-commit.tar.gz): ls -t sorts them by age
ls -1t "$backups"/*.tar.gz 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f -- "$old" && echo "removed old backup $old"
done
