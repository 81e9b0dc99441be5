#!/usr/bin/env bash
# Install the peer language servers used by bench/lsp.sh into <repo>/.cache/peers.
# Idempotent: a second run with the same version does nothing but print it.
#
#   bench/install-peers.sh            # install (or keep) the pinned version
#   PEER_VERSION=latest bench/install-peers.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$repo/.cache/peers"
pkg="dockerfile-language-server-nodejs"
version="${PEER_VERSION:-0.15.0}"

command -v npm >/dev/null || { echo "install-peers: npm not found (apt-get install nodejs npm)" >&2; exit 1; }

installed() {
    node -p "require('$prefix/node_modules/$pkg/package.json').version" 2>/dev/null || true
}

have="$(installed)"
if [[ -z "$have" || ( "$version" != latest && "$have" != "$version" ) ]]; then
    mkdir -p "$prefix"
    [[ -f "$prefix/package.json" ]] || echo '{"private": true}' >"$prefix/package.json"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$pkg@$version" >&2
    have="$(installed)"
fi
[[ -x "$prefix/node_modules/.bin/docker-langserver" ]] || { echo "install-peers: docker-langserver missing after install" >&2; exit 1; }
echo "$pkg $have ($prefix/node_modules/.bin/docker-langserver)"
