# shellcheck shell=sh
# What a deploy of REF would check out, read before the person confirms it: fetches the remote
# (the checkout and the running app are untouched) and prints, on marked lines (not shown in
# the output), MARK and the commit, then MARK-package and the commit's package.json in base64
# (at most 64 KiB; empty when it has none); then the commit's subject, shown.
# $1 the app's directory  $2 the git remote  $3 the ref  $4 the marker
dir=$1 remote=$2 ref=$3 mark=$4
cd -- "$dir" || exit 1
git fetch --prune --tags "$remote" || exit 1
commit=$(git rev-parse --verify --quiet "$remote/$ref^{commit}" || git rev-parse --verify --quiet "$ref^{commit}") || {
  echo "$ref is not a branch, tag or commit on $remote" >&2
  exit 3
}
echo "$mark $commit"
printf '%s-package ' "$mark"
git show "$commit:package.json" 2>/dev/null | head -c 65536 | base64 | tr -d '\n'
echo
git log -1 --format='%h %s (%an, %ar)' "$commit"
exit 0
