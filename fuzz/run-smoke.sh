#!/usr/bin/env bash
# Runs every fuzz target for a few seconds (default 5; the first argument overrides) on a copy
# of the committed corpus and regression inputs, so that CI proves the targets build and hold
# on fresh inputs without writing into the repository. Exits non-zero on any crash or failed
# invariant, after printing the crashing input.
#
#   bash fuzz/run-smoke.sh        # 5 s per target (what CI runs)
#   bash fuzz/run-smoke.sh 600    # the 10-minute runs recorded in fuzz/README.md
#
# Stable Rust only: cargo-fuzz needs nightly flags, which RUSTC_BOOTSTRAP=1 unlocks. The targets
# are built without a sanitizer (`-s none`): oauth1-core forbids unsafe code, so AddressSanitizer
# would find nothing that a Rust panic does not already report, and it costs half the speed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-5}"
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked --version 0.13.2 >&2
fi
targets=(header_parse form_decode url_normalize verify_request sign_request received_read preset_input)
cargo fuzz build -s none >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
    mkdir -p "$work/$t" "$work/artifacts/$t"
    cp corpus/"$t"/* "$work/$t/"
    if [ -d "regressions/$t" ]; then
        cp regressions/"$t"/* "$work/$t/"
    fi
    echo "==> fuzz $t for ${seconds}s ($(ls "$work/$t" | wc -l) inputs to start from)" >&2
    if ! cargo fuzz run -s none "$t" "$work/$t" -- -max_total_time="$seconds" \
        -dict="dicts/$t.dict" -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 \
        >"$work/$t.log" 2>&1; then
        tail -n 60 "$work/$t.log" >&2
        for crash in "$work/artifacts/$t"/*; do
            [ -f "$crash" ] || continue
            echo "crashing input $(basename "$crash") (save it under fuzz/regressions/$t/):" >&2
            od -An -c "$crash" | head -n 40 >&2
        done
        echo "fuzz target $t failed" >&2
        exit 1
    fi
    grep -E "^Done |stat::number_of_executed_units|stat::peak_rss_mb" "$work/$t.log" >&2 || true
done
echo "fuzz smoke run: ${#targets[@]} targets, ${seconds}s each, no crash" >&2
