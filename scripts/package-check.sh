#!/usr/bin/env bash
# The crates as crates.io will receive them (.ci/run). First `cargo publish --dry-run
# --workspace`: every publishable crate packaged and built from its package, the workspace's
# crates resolved to each other's packages. Then each package's own tests (unit, integration,
# doctests, the README's examples) run from the unpacked packages, in a workspace of their own
# whose [patch] points each crate name at its package, so that a test reading a file the
# package does not carry fails here rather than for a user.
#
# Set PACKAGE_CHECK_DIRTY=1 to check uncommitted changes (CI runs on a clean clone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dirty=()
if [ -n "${PACKAGE_CHECK_DIRTY:-}" ]; then dirty=(--allow-dirty); fi

cargo publish --dry-run --workspace "${dirty[@]}"
# The same packages as .crate files in target/package (the dry run keeps them only in a
# registry of its own); verified above, so not built again.
cargo package --workspace --no-verify --quiet "${dirty[@]}"

# The publishable crates (publish is not false) and their versions.
mapfile -t crates < <(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] != []:
        print(p["name"] + "-" + p["version"])')

out=$root/target/package-tests
rm -rf "$out"
mkdir -p "$out"
members=""
patch=""
for crate in "${crates[@]}"; do
    tar -xzf "target/package/$crate.crate" -C "$out"
    name=${crate%-*}
    members+="    \"$crate\",\n"
    patch+="$name = { path = \"$crate\" }\n"
done
{
    printf '# Written by scripts/package-check.sh: the packaged crates, as their users get them.\n'
    printf '[workspace]\nresolver = "2"\nmembers = [\n%b]\n\n[patch.crates-io]\n%b\n' "$members" "$patch"
    # The workspace's profiles (optimised dependencies in tests), so that the dependencies
    # built for the workspace's own tests are reused.
    sed -n '/^\[profile\./,$p' Cargo.toml
} > "$out/Cargo.toml"
cp Cargo.lock "$out/"
cd "$out"
CARGO_TARGET_DIR=$root/target cargo test --workspace --all-features
