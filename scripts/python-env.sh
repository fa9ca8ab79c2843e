#!/usr/bin/env bash
# Creates (once) a Python venv with the pinned reference implementation used by the differential
# test (crates/oauth1-cli/tests/differential.rs), and prints the absolute path of its python on
# the last line of stdout.
#
#   bash scripts/python-env.sh        # idempotent; reinstalls only when the pins change
#
# The venv lives in "${CARGO_TARGET_DIR:-<repo>/target}/py-venv". Needs python3 with the venv
# module and, the first time (or after a change of scripts/requirements-differential.txt),
# access to PyPI. The venv is stamped with the SHA-256 of the requirements file; a venv whose
# stamp differs, or whose python no longer runs (python3 upgraded), is rebuilt from scratch.
# Everything but the final path goes to stderr. Needs no stdin.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
venv="$target/py-venv"
reqs="$repo/scripts/requirements-differential.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$reqs" | cut -d' ' -f1)"

if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
    && "$venv/bin/python" -c 'import oauthlib, jwt, cryptography' </dev/null >/dev/null 2>&1; then
    echo "python-env: $venv is up to date" >&2
else
    command -v python3 >/dev/null || { echo "python-env: python3 not found" >&2; exit 1; }
    echo "python-env: creating $venv with $(python3 --version 2>&1)" >&2
    rm -f "$stamp"
    python3 -m venv --clear "$venv" </dev/null >&2
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
        --require-virtualenv -r "$reqs" </dev/null >&2
    "$venv/bin/python" -m pip check </dev/null >&2
    echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
