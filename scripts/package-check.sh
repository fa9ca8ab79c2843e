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

# The publishable crates (publish is not false) and their versions.
mapfile -t crates < <(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] != []:
        print(p["name"] + "-" + p["version"])')

# The dry run puts the packages in a registry of its own under target/package, and cargo
# unpacks each one it builds against into $CARGO_HOME/registry/src/-<hash of that path>/. It
# never unpacks a NAME-VERSION it finds there again, so with the same checkout path and a kept
# CARGO_HOME (CI) a dependent crate was verified against the dependency as an earlier run
# packaged it: `oauth1_flow::reconnect` "not found" for provider-twitter. Our versions do not
# change between commits, so those copies are removed first; local registries only (the
# directories named "-<hash>"), never crates.io's.
registry_src=${CARGO_HOME:-$HOME/.cargo}/registry/src
for crate in "${crates[@]}"; do
    for stale in "$registry_src"/-*/"$crate"; do
        if [ -d "$stale" ]; then rm -rf -- "$stale"; fi
    done
done

# For the same reason the packages are built in a target directory of their own, emptied
# first: cargo takes a registry crate's build as current whatever its source now says. Nothing
# is lost: built from the packages' manifests (no workspace profiles), nothing here is shared
# with the workspace's builds.
verify_target=$root/target/package-verify
rm -rf "$verify_target"
CARGO_TARGET_DIR=$verify_target cargo publish --dry-run --workspace "${dirty[@]}"
rm -rf "$verify_target"
# The same packages as .crate files in target/package (the dry run keeps them only in a
# registry of its own); verified above, so not built again.
cargo package --workspace --no-verify --quiet "${dirty[@]}"

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
