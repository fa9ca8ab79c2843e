#!/usr/bin/env bash
# Creates (once) a Python venv with the pinned reference implementations used by the
# differential tests, and prints the path of its python on the last line of stdout.
#
#   bash scripts/python-env.sh        # idempotent; reinstalls only when the pins change
#
# The venv lives in "${CARGO_TARGET_DIR:-<repo>/target}/py-venv". Needs python3 with venv and,
# the first time, access to PyPI. Install noise goes to stderr.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="$target/py-venv"
reqs="$repo/scripts/requirements-differential.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$reqs" | cut -d' ' -f1)"

if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    mkdir -p "$target"
    python3 -m venv --clear "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$reqs" >&2
    echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
