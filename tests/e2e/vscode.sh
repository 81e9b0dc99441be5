#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server (VS Code in the
# browser, from npm) driven by Debian's chromium through playwright-core.
#
# Installs what it needs itself (idempotent; cached under <repo>/.cache/vscode-e2e):
# Debian's chromium, libkrb5-dev and ripgrep; the npm workspace (esbuild, vsce,
# playwright-core, vscode-languageclient); code-server 4.100.x. Then it builds the release
# binary, packages the .vsix with it bundled, installs the .vsix into code-server, starts
# code-server on 127.0.0.1 with a fresh user-data dir, and runs tests/vscode/drive.mjs,
# which opens a Dockerfile and checks diagnostics in the Problems panel, hover, a quick
# fix and Format Document. Screenshots go to tests/artifacts/vscode/.
#
#   tests/e2e/vscode.sh [--install-only]
#
# Environment: VSCODE_E2E_TIMEOUT (seconds for the driver, default 300).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="$ROOT/.cache/vscode-e2e"
ART="$ROOT/tests/artifacts/vscode"
CS_VERSION=4.100.3
# The @vscode/ripgrep version code-server $CS_VERSION installs, and the ripgrep build its
# postinstall would download (offline, Debian's rg is put in its download cache instead).
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

log() { echo "vscode-e2e: $*" >&2; }
fail() {
    echo "vscode-e2e: FAILED: $*" >&2
    exit 1
}

rm -rf "$ART"
mkdir -p "$CACHE" "$ART"

# ---- system packages --------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "missing ${need_apt[*]}: install them (apt-get install ${need_apt[*]}) or run as root"
    log "installing ${need_apt[*]} with apt-get"
    timeout 900 apt-get update -qq || fail "apt-get update"
    DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq "${need_apt[@]}" >"$CACHE/apt.log" 2>&1 ||
        fail "apt-get install ${need_apt[*]} (see $CACHE/apt.log)"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || fail "code-server $CS_VERSION needs Node 20, found $(node --version)"

# ---- npm workspace (extension build tools, playwright-core) -----------------------------
cd "$ROOT"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.docksmith-lock ] || [ "$(cat node_modules/.docksmith-lock)" != "$lock_sum" ]; then
    log "npm ci (workspace)"
    timeout 900 npm ci --no-audit --no-fund >"$CACHE/npm-ci.log" 2>&1 || fail "npm ci (see $CACHE/npm-ci.log)"
    echo "$lock_sum" >node_modules/.docksmith-lock
fi

# ---- code-server ------------------------------------------------------------------------
CS_DIR="$CACHE/code-server-$CS_VERSION"
CODE_SERVER="$CS_DIR/node_modules/.bin/code-server"
if [ ! -f "$CS_DIR/.installed" ]; then
    log "installing code-server $CS_VERSION from npm (a few minutes, once)"
    tmp=$(node -p 'require("os").tmpdir()')
    rg_cache="$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
    if [ ! -s "$rg_cache/$RG_ASSET" ]; then
        mkdir -p "$rg_cache"
        rg_stage=$(mktemp -d)
        cp "$(command -v rg)" "$rg_stage/rg"
        tar czf "$rg_cache/$RG_ASSET" -C "$rg_stage" rg
        rm -rf "$rg_stage"
    fi
    rm -rf "$CS_DIR"
    mkdir -p "$CS_DIR"
    printf '{ "name": "code-server-e2e", "private": true }\n' >"$CS_DIR/package.json"
    (
        cd "$CS_DIR"
        export npm_config_unsafe_perm=true npm_config_yes=true
        # npm 11 runs install scripts only when allowed; code-server's build them natively.
        export npm_config_dangerously_allow_all_scripts=true
        timeout 1800 npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION"
    ) >"$CACHE/code-server-install.log" 2>&1 || {
        tail -30 "$CACHE/code-server-install.log" >&2
        fail "npm install code-server@$CS_VERSION (see $CACHE/code-server-install.log)"
    }
    [ -x "$CODE_SERVER" ] || fail "code-server binary missing after install"
    touch "$CS_DIR/.installed"
fi
[ "${1:-}" = "--install-only" ] && {
    log "installed"
    exit 0
}

# ---- the extension: type check, unit tests, then the package with the release binary -----
log "type-checking and unit-testing the extension"
(cd editors/vscode && timeout 300 ../../node_modules/.bin/tsc --noEmit -p . && timeout 300 node --test test/) \
    >"$ART/extension-tests.log" 2>&1 || {
    cat "$ART/extension-tests.log" >&2
    fail "the extension's type check or unit tests"
}
log "building the release binary"
timeout 1800 cargo build --release -q -p docksmith || fail "cargo build --release"
VSIX="$CACHE/docksmith.vsix"
log "packaging the extension"
timeout 600 node editors/vscode/scripts/package.mjs --out "$VSIX" >"$CACHE/package.log" 2>&1 || {
    tail -30 "$CACHE/package.log" >&2
    fail "packaging the .vsix (see $CACHE/package.log)"
}

# ---- a fresh VS Code profile and workspace ----------------------------------------------
RUN_DIR="$CACHE/run"
rm -rf "$RUN_DIR"
UD="$RUN_DIR/user-data"
EXT="$RUN_DIR/extensions"
WS="$RUN_DIR/workspace"
mkdir -p "$UD/User" "$EXT" "$WS"
printf 'auth: none\nbind-addr: 127.0.0.1:0\ncert: false\n' >"$RUN_DIR/config.yaml"
cat >"$UD/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "editor.hover.delay": 200,
  "editor.formatOnType": true,
  "docksmith.trace.server": "verbose"
}
EOF
cp "$ROOT/tests/vscode/workspace/Dockerfile" "$WS/Dockerfile"

log "installing the .vsix into code-server"
timeout 300 "$CODE_SERVER" --config "$RUN_DIR/config.yaml" --user-data-dir "$UD" --extensions-dir "$EXT" --install-extension "$VSIX" --force \
    >"$ART/install-extension.log" 2>&1 || {
    cat "$ART/install-extension.log" >&2
    fail "code-server --install-extension"
}

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
log "starting code-server on 127.0.0.1:$PORT"
setsid "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --user-data-dir "$UD" --extensions-dir "$EXT" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --config "$RUN_DIR/config.yaml" "$WS" >"$ART/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {
    # The whole process group: code-server, its extension host and our language server.
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
    collect_logs
}
collect_logs() {
    # The extension's output channels (server log, LSP trace) for the artifacts.
    find "$UD/logs" -name '*Docksmith*' -exec cp {} "$ART/" \; 2>/dev/null || true
}
trap cleanup EXIT

healthy() {
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
        "http://127.0.0.1:$PORT/healthz"
}
for _ in $(seq 1 120); do
    if healthy; then
        break
    fi
    kill -0 "$CS_PID" 2>/dev/null || {
        tail -20 "$ART/code-server.log" >&2
        fail "code-server exited"
    }
    sleep 0.5
done
healthy || fail "code-server did not answer on port $PORT"

log "driving VS Code in chromium"
timeout "${VSCODE_E2E_TIMEOUT:-300}" node "$ROOT/tests/vscode/drive.mjs" \
    --url "http://127.0.0.1:$PORT/?folder=$WS" \
    --workspace "$WS" \
    --artifacts "$ART" \
    --docs-image "$ROOT/docs/images/vscode.png" || {
    rc=$?
    [ $rc = 124 ] && log "the driver timed out"
    tail -40 "$ART/code-server.log" >&2 || true
    fail "the VS Code checks failed (screenshots and logs in $ART)"
}
# The new line's indentation came from our server (not from VS Code's own auto-indent).
collect_logs
if ! grep -A20 "Received response 'textDocument/onTypeFormatting" "$ART"/*Trace*.log | grep -q '"newText": "    "'; then
    fail "format on type: no indentation edit from the server in the LSP trace ($ART)"
fi
log "ok"
