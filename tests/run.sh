#!/usr/bin/env bash
# Every test of the project: formatting, lints, unit/integration/corpus tests, and the
# end-to-end tests in real editors. Installs what the end-to-end tests need itself.
# Ends with one line "tests: N passed, M failed" (cargo tests plus end-to-end checks).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOG_DIR="$ROOT/tests/artifacts"
mkdir -p "$LOG_DIR"

passed=0
failed=0
failures=()

step() {
    local name=$1
    shift
    echo "==> $name"
    if "$@"; then
        echo "==> $name: ok"
    else
        echo "==> $name: FAILED"
        failures+=("$name")
        failed=$((failed + 1))
    fi
}

cargo_tests() {
    local out="$LOG_DIR/cargo-test.log"
    cargo test --workspace --all-targets 2>&1 | tee "$out"
    local rc=${PIPESTATUS[0]}
    local p f
    p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$out" | awk '{s+=$4} END {print s+0}')
    f=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$out" | awk '{s+=$6} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
    return "$rc"
}

e2e() {
    # An end-to-end script counts as one test.
    if "$@"; then
        passed=$((passed + 1))
    else
        return 1
    fi
}

step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test" cargo_tests
for script in tests/e2e/*.sh; do
    [ -e "$script" ] || continue
    step "e2e $(basename "$script" .sh)" e2e bash "$script"
done

echo
if [ ${#failures[@]} -gt 0 ]; then
    echo "failed steps: ${failures[*]}"
fi
echo "tests: $passed passed, $failed failed"
[ ${#failures[@]} -eq 0 ] && [ "$failed" -eq 0 ]
