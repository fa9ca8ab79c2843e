#!/usr/bin/env bash
# Cross-implementation interop suite (docs/interop.md): OAuth 1.0a libraries of other ecosystems
# against ours, both ways, every signature method and placement each side supports.
#
#   bash scripts/interop.sh       # installs what is missing, builds oauth1, prints the matrix
#
# Peers (interop/<peer>/): Node `oauth` and `oauth-1.0a` (npm ci from interop/node's lockfile),
# Ruby `oauth` (Debian's ruby-oauth), Perl Net::OAuth (libnet-oauth-perl), PHP's PECL oauth with
# OAuthProvider (php-oauth), Python requests-oauthlib (PyPI, pinned in
# interop/python/requirements.txt, into a venv under the target dir). Debian packages are listed
# in interop/apt-packages.txt and installed with apt-get as root or through `sudo -n`.
# A peer that cannot be installed is SKIPPED with a loud message, and is a failure when CI=true.
# Everything listens on 127.0.0.1; every process has a timeout. Exit status non-zero when any
# case fails (interop/expected.json lists the known deviations the matrix shows as dev:ID).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
started=$(date +%s)
target="${CARGO_TARGET_DIR:-$repo/target}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"
work="$target/interop"
rm -rf "$work"
mkdir -p "$work"
strict=false
[ "${CI:-}" = true ] && strict=true
# Every exchange is on loopback: no proxy from the environment may take it elsewhere.
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
say() { printf 'interop: %s\n' "$*" >&2; }
loud() { printf '\ninterop: ********** %s **********\n\n' "$*" >&2; }

# --- what each peer needs, and whether it is there ---------------------------------------------
have_node() { command -v node >/dev/null && command -v npm >/dev/null; }
have_ruby() { ruby -e 'require "oauth"; require "rack"' </dev/null >/dev/null 2>&1; }
have_perl() { perl -MNet::OAuth -MLWP::UserAgent -MHTTP::Daemon -MCrypt::OpenSSL::RSA -e1 </dev/null >/dev/null 2>&1; }
have_php() { php -r 'exit(class_exists("OAuthProvider") ? 0 : 1);' </dev/null >/dev/null 2>&1; }
have_python() { python3 -c 'import venv, ensurepip' </dev/null >/dev/null 2>&1; }
have_all() { have_node && have_ruby && have_perl && have_php && have_python && command -v openssl >/dev/null; }

if ! have_all; then
    mapfile -t packages < <(grep -v '^#' interop/apt-packages.txt | grep -v '^$')
    as_root=()
    [ "$(id -u)" -ne 0 ] && as_root=(sudo -n)
    if { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; } && command -v apt-get >/dev/null; then
        say "installing with apt-get: ${packages[*]}"
        export DEBIAN_FRONTEND=noninteractive
        timeout 600 "${as_root[@]}" apt-get update -qq </dev/null >&2 || say "apt-get update failed"
        timeout 900 "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null >&2 \
            || say "apt-get install failed: the peers it did not provide are skipped"
    else
        say "cannot run apt-get (not root, no sudo -n, or no apt): the missing peers are skipped"
    fi
fi

skips=()
skip() { loud "SKIPPED $1: $2"; skips+=(--skip "$1:$2"); }
if have_node; then
    lock_hash="$(sha256sum interop/node/package-lock.json | cut -d' ' -f1)"
    if [ "$(cat interop/node/node_modules/.lock.sha256 2>/dev/null)" != "$lock_hash" ]; then
        say "npm ci in interop/node"
        if timeout 300 npm ci --prefix interop/node --no-audit --no-fund --loglevel=error </dev/null >&2; then
            echo "$lock_hash" > interop/node/node_modules/.lock.sha256
        else
            skip node-oauth "npm ci failed"
            skip oauth-1.0a "npm ci failed"
        fi
    fi
else
    skip node-oauth "node/npm not installed"
    skip oauth-1.0a "node/npm not installed"
fi
have_ruby || skip ruby-oauth "Ruby with the oauth and rack libraries not installed (ruby-oauth, ruby-rack)"
have_perl || skip perl-net-oauth "Net::OAuth, LWP, HTTP::Daemon or Crypt::OpenSSL::RSA not installed"
have_php || skip php-pecl-oauth "PHP with the PECL oauth extension not installed (php-cli, php-oauth)"

venv="$target/interop-venv"
py="$venv/bin/python"
if have_python; then
    want="$(sha256sum interop/python/requirements.txt | cut -d' ' -f1)"
    if ! { [ -x "$py" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ] \
        && "$py" -c 'import requests_oauthlib' </dev/null >/dev/null 2>&1; }; then
        say "creating $venv (requests-oauthlib from PyPI)"
        rm -rf "$venv"
        if timeout 300 python3 -m venv "$venv" </dev/null >&2 \
            && timeout 300 "$py" -m pip install --disable-pip-version-check --no-input --quiet \
                --require-virtualenv -r interop/python/requirements.txt </dev/null >&2; then
            echo "$want" > "$venv/.requirements.sha256"
        else
            skip requests-oauthlib "pip install failed"
        fi
    fi
else
    skip requests-oauthlib "python3 with venv not installed"
fi
command -v openssl >/dev/null || { say "openssl not found: it makes the RSA key"; exit 1; }

# --- our side ----------------------------------------------------------------------------------
say "building oauth1 (cargo build -p oauth1-cli)"
timeout 1200 cargo build -q -p oauth1-cli </dev/null
oauth1="$target/debug/oauth1"
( umask 077 && openssl genrsa -out "$work/rsa.pem" 2048 2>/dev/null )
openssl rsa -in "$work/rsa.pem" -pubout -out "$work/rsa.pub.pem" 2>/dev/null

serve_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
    wait 2>/dev/null || true
}
trap cleanup EXIT
# The peers' clients sign with the built-in consumer, with cases.json's `client_awkward`
# consumer and access token (their secrets in the environment, as `oauth1 serve` wants them),
# with RSA-SHA1 (the public key of the pair made above) and with PLAINTEXT over http (tests only).
awkward() { python3 -c 'import json, sys; print(json.load(open("interop/cases.json", encoding="utf-8"))["client_awkward"][sys.argv[1]])' "$1"; }
odd_key="$(awkward consumer_key)"
odd_secret="$(awkward consumer_secret)"
odd_token="$(awkward token)"
odd_token_secret="$(awkward token_secret)"
: >"$work/serve.log"
OAUTH1_CONSUMER_SECRET="$odd_secret" OAUTH1_TOKEN_SECRET="$odd_token_secret" \
    timeout 900 "$oauth1" serve --port 0 --auto-approve --consumer "$odd_key" --token "$odd_token" \
    --rsa-public-key "$work/rsa.pub.pem" --insecure-plaintext-over-http \
    </dev/null >"$work/serve.log" 2>&1 &
serve_pid=$!
base=""
for _ in $(seq 1 100); do
    base="$(sed -n 's/^Local OAuth 1.0a provider at \(http:[^ ]*\).*/\1/p' "$work/serve.log")"
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { cat "$work/serve.log" >&2; say "oauth1 serve did not start"; exit 1; }
say "oauth1 serve at $base"

# --- the cases ---------------------------------------------------------------------------------
status=0
runner_py="$py"
[ -x "$runner_py" ] || runner_py=python3
strict_flag=()
[ "$strict" = true ] && strict_flag=(--strict)
INTEROP_PYTHON="$py" timeout 600 "$runner_py" interop/run.py --oauth1 "$oauth1" --serve "$base" \
    --work "$work" --rsa-key "$work/rsa.pem" --rsa-pub "$work/rsa.pub.pem" \
    "${skips[@]}" \
    "${strict_flag[@]}" </dev/null || status=$?
if [ "${#skips[@]}" -gt 0 ]; then
    loud "some peers were SKIPPED (see above)$([ "$strict" = true ] && echo ': a failure under CI')"
fi
say "took $(($(date +%s) - started)) s; logs in $work"
exit "$status"
