#!/usr/bin/env bash
# The LSP benchmark: Docksmith and its peers on generated Dockerfiles, side by side.
#
#   bench/lsp.sh                               # 1,000, 10,000 and 50,000 lines
#   LINES=1000,10000 bench/lsp.sh              # other sizes
#   bench/lsp.sh --json lsp.json --reps 10     # further arguments go to lsp-bench
#
# Builds `docksmith` and `lsp-bench` in release, installs the peers (bench/install-peers.sh),
# then prints a Markdown table on stdout (progress on stderr). See docs/performance.md.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
lines="${LINES:-1000,10000,50000}"
target="${CARGO_TARGET_DIR:-$repo/target}"

cargo build --release -p docksmith -p lsp-bench >&2
bench/install-peers.sh >&2

bench="$target/release/lsp-bench"
servers=()
if probe="$("$bench" --probe "\"$target/release/docksmith\" lsp" --timeout 10 2>&1)"; then
    servers+=(--server "docksmith=\"$target/release/docksmith\" lsp --log-level debug")
else
    echo "skipped docksmith: binary has no lsp command (${probe#lsp-bench: })"
    echo
fi
servers+=(--server "docker-langserver=node \"$repo/.cache/peers/node_modules/.bin/docker-langserver\" --stdio")

exec "$bench" "${servers[@]}" --lines "$lines" "$@"
