#!/usr/bin/env bash
# Installs Debian's redis-server and openssl when either is missing: what the Redis tests need
# (openssl makes the certificates of the TLS-only server). Run by the tests themselves (the
# testkit embeds this file) and by the repository's scripts/redis-for-tests.sh, which .ci/run
# sources. Needs root, or sudo without a password, and the Debian mirrors; idempotent.
set -euo pipefail
missing=""
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
[ -z "$missing" ] && exit 0
echo "installing$missing for the Redis tests" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
command -v apt-get >/dev/null 2>&1 || {
    echo "no apt-get here: install$missing with your package manager" >&2
    exit 1
}
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
