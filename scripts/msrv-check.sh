#!/usr/bin/env bash
# Checks the minimum supported Rust version (README, "Minimum supported Rust version"): every
# crate of the workspace, every feature, built by the toolchain named in `rust-version`, with
# the dependencies Cargo's MSRV-aware ("fallback") resolver picks for that version. Run by
# .ci/run; installs the toolchain with rustup (minimal profile) when it is missing.
#
# The check runs on a copy of the sources (target/msrv-src) so that its lockfile, resolved for
# the old toolchain, never touches the workspace's own Cargo.lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml's [workspace.package]" >&2; exit 1; }
# Every crate inherits it: one MSRV for the workspace, so one toolchain to check.
if grep -l '^rust-version = ' crates/*/Cargo.toml 2>/dev/null; then
    echo "the crates above set their own rust-version; this script checks only $msrv" >&2
    exit 1
fi
echo "MSRV $msrv"
rustup toolchain install "$msrv" --profile minimal --no-self-update >/dev/null
src=$root/target/msrv-src
rm -rf "$src"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | grep -zv '^fuzz/' |
    tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
cd "$src"
# The current toolchain's Cargo resolves (1.84 and later know the fallback resolver); the old
# one builds with that lockfile as is.
CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile --quiet
CARGO_TARGET_DIR=$root/target/msrv cargo +"$msrv" check --locked --workspace --all-features
