#!/usr/bin/env bash
# Runs every fuzz target for a few seconds (default 5; first argument overrides) on a copy of
# the committed corpus, so that CI proves the targets build and hold on fresh inputs without
# writing into the repository. Exits non-zero on any crash.
#
#   bash fuzz/run-smoke.sh        # 5 s per target
#   bash fuzz/run-smoke.sh 600    # the 10-minute runs recorded in fuzz/README.md
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-5}"
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked --version 0.13.2 >&2
fi
targets=(header_parse form_decode url_normalize verify_request sign_request)
cargo fuzz build >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    echo "==> fuzz $t for ${seconds}s" >&2
    if ! cargo fuzz run "$t" "$work/$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 \
        >"$work/$t.log" 2>&1; then
        tail -n 40 "$work/$t.log" >&2
        echo "fuzz target $t failed; the crashing input is under fuzz/artifacts/$t/" >&2
        exit 1
    fi
    grep -E "^Done|stat::number_of_executed_units" "$work/$t.log" >&2 || true
done
