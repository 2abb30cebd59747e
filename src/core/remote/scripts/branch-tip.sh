# shellcheck shell=sh
# Where BRANCH is on the git remote now, asked of the remote itself (`git ls-remote`): nothing
# is fetched, so the checkout and the running app are untouched. Prints MARK and the commit on
# a marked line. ls-remote matches a pattern's tail, so only the exact refs/heads/BRANCH counts.
# Exits 3 when the remote has no such branch.
# $1 the app's directory (its git config names the remote)  $2 the git remote  $3 the branch  $4 the marker
dir=$1 remote=$2 branch=$3 mark=$4
cd -- "$dir" || exit 1
refs=$(git ls-remote --heads -- "$remote" "refs/heads/$branch") || exit 1
commit=$(printf '%s\n' "$refs" | awk -v want="refs/heads/$branch" '$2 == want { print $1; exit }')
if [ -z "$commit" ]; then
  echo "$remote has no branch $branch" >&2
  exit 3
fi
echo "$mark $commit"
exit 0
