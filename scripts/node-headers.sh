#!/usr/bin/env bash
# Prints the folder to give node-gyp as npm_config_nodedir: the running Node's own headers
# (<prefix>/include/node), so that a native module (code-server's argon2, ssh2's
# cpu-features) builds without node-gyp's download of headers, which needs the internet.
# An npm_config_nodedir already set is kept. When no headers match the running Node, it
# says in one sentence what is missing and exits 1.
set -euo pipefail

version=$(node -p 'process.versions.node')
matches() { # folder → its include/node/node_version.h says this Node's version
  local h="$1/include/node/node_version.h"
  [ -f "$h" ] || return 1
  local major minor patch
  major=$(awk '$2=="NODE_MAJOR_VERSION"{print $3}' "$h")
  minor=$(awk '$2=="NODE_MINOR_VERSION"{print $3}' "$h")
  patch=$(awk '$2=="NODE_PATCH_VERSION"{print $3}' "$h")
  [ "$major.$minor.$patch" = "$version" ]
}

if [ -n "${npm_config_nodedir:-}" ]; then
  if matches "$npm_config_nodedir"; then echo "$npm_config_nodedir"; exit 0; fi
  echo "npm_config_nodedir=$npm_config_nodedir holds no headers of Node $version (include/node/node_version.h); unset it or point it at the folder that has them" >&2
  exit 1
fi

# The prefix Node was installed under (…/bin/node → …), then the one it was built for.
exec_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
built_prefix=$(node -p 'process.config.variables.node_prefix || ""')
for dir in "$exec_prefix" "$built_prefix" /usr /usr/local; do
  if [ -n "$dir" ] && matches "$dir"; then echo "$dir"; exit 0; fi
done
echo "Node $version's headers are missing (no include/node/node_version.h of that version under $exec_prefix), and node-gyp cannot download them here: install the package that ships them with this Node (Debian's nodejs: libnode-dev) or set npm_config_nodedir to a folder that has them" >&2
exit 1
