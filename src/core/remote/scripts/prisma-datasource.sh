# shellcheck shell=sh
# The datasource blocks of a Prisma schema as a commit has it (where its provider is named),
# not the whole schema, which can be long; nothing when the commit has no such file.
# $1 the app's directory  $2 the commit  $3 the schema's path from the repository's root
dir=$1 commit=$2 schema=$3
cd -- "$dir" || exit 1
git cat-file -e "$commit:$schema" 2>/dev/null || exit 0
git cat-file blob "$commit:$schema" | sed -n '/^[[:space:]]*datasource[[:space:]]/,/}/p'
