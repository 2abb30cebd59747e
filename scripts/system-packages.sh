#!/usr/bin/env bash
# The Debian packages every layer of `npm test` needs (`npm test` runs this first, as its
# pretest): the lab's sshd, HAProxy, git, socat and curl; shellcheck for the lint; Chromium,
# ripgrep, Kerberos headers and Node's own headers (for its native modules, built here
# without a download) for code-server, the real VS Code the extension-host and UI tests drive. As root they are installed with apt-get; otherwise it stops at once with the
# one command to run.
set -euo pipefail

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v git >/dev/null || need+=(git)
command -v socat >/dev/null || need+=(socat)
command -v curl >/dev/null || need+=(curl)
command -v shellcheck >/dev/null || need+=(shellcheck)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
# Debian's own nodejs keeps its headers in libnode-dev; other builds (NodeSource, nvm, the
# official tarball) ship them beside node, and node-headers.sh says so when they do not.
if ! bash "$(dirname "$0")/node-headers.sh" >/dev/null 2>&1 \
  && dpkg -S "$(readlink -f "$(command -v node)")" 2>/dev/null | grep -q '^nodejs:' \
  && dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q 'dfsg'; then
  need+=(libnode-dev)
fi

if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "npm test needs these Debian packages: ${need[*]}" >&2
  echo "run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]} with apt-get…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${need[@]}" >/dev/null
