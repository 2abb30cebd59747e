#!/usr/bin/env bash
# Installs a pinned code-server (a real VS Code, shipped on the npm registry) into a cache
# folder outside the project, for the extension-host and e2e tests. Idempotent.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PREFIX="${CODE_SERVER_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/bluegreen/code-server-$VERSION}"
BIN="$PREFIX/node_modules/.bin/code-server"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi

# ripgrep and Kerberos headers for its install, Chromium to drive it.
bash "$(dirname "$0")/system-packages.sh" >&2

# @vscode/ripgrep's postinstall downloads rg; it first looks in this cache, so Debian's rg
# placed there satisfies it without network access.
RG_PKG_VERSION=1.15.11
RG_TAG=v13.0.0-10
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$cache"
tarball="$cache/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar -czf "$tarball" -C "$tmp" rg; rm -rf "$tmp"
fi

# argon2 and its kin are built by node-gyp, which would download Node's headers: give it
# the installed Node's own instead (this machine, like many CI machines, has no internet).
npm_config_nodedir=$(bash "$(dirname "$0")/node-headers.sh")
export npm_config_nodedir

mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || echo '{"name":"bluegreen-code-server","private":true}' > package.json
echo "installing code-server $VERSION (a real VS Code, about 200 npm packages and two native modules; about a minute the first time) into $PREFIX…" >&2
started=$SECONDS
# A line every 15 s, so that a first run does not look stuck.
( while sleep 15; do echo "  …still installing code-server ($((SECONDS - started)) s)" >&2; done ) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true' EXIT
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
echo "installed code-server $VERSION in $((SECONDS - started)) s" >&2
echo "$BIN"
