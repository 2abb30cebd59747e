# shellcheck shell=sh
# The migration files FROM..TO added or changed, as `git diff -U0` (the added lines with their
# numbers); prints MARK and the commit when either commit is not in this repository. Always the
# text as committed: --text over a `-diff` or `binary` attribute (or bytes git takes for binary),
# which would show no lines to judge; --no-textconv over a repository's filter, which would show
# other lines than the database runs.
# $1 the app's directory  $2 from  $3 to  $4 the marker  $5… the globs (git pathspecs)
dir=$1 from=$2 to=$3 mark=$4
shift 4
cd -- "$dir" || exit 1
for commit in "$from" "$to"; do
  git cat-file -e "$commit^{commit}" 2>/dev/null || { echo "$mark $commit"; exit 0; }
done
count=$#
for glob; do set -- "$@" ":(glob)$glob"; done
shift "$count"
exec git -c core.quotePath=false diff --no-color --no-ext-diff --no-textconv --text --no-renames -U0 --diff-filter=AM "$from" "$to" -- "$@"
