# shellcheck shell=sh
# Fetches the remote and checks out REF's exact commit on BRANCH, discarding local changes
# (the backup keeps them); prints MARK and the commit for the caller.
# $1 the app's directory  $2 the git remote  $3 the ref  $4 the branch  $5 the marker
# $6 "no-fetch" to use what the checkout already has
dir=$1 remote=$2 ref=$3 branch=$4 mark=$5 fetch=${6:-fetch}
cd -- "$dir" || exit 1
if [ "$fetch" != no-fetch ]; then git fetch --prune --tags "$remote" || exit 1; fi
commit=$(git rev-parse --verify --quiet "$remote/$ref^{commit}" || git rev-parse --verify --quiet "$ref^{commit}") || {
  echo "$ref is not a branch, tag or commit on $remote" >&2
  exit 3
}
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo 'warning: local changes on this slot are discarded (the backup keeps them)' >&2
fi
git checkout --quiet --force -B "$branch" "$commit" || exit 1
echo "$mark $commit"
git log -1 --format='%h %s (%an, %ar)'
