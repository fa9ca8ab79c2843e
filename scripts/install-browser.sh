#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser test of
# examples/sign_in_with_twitter (run by the test itself when they are missing).
# Needs root (or sudo) and access to the Debian mirrors; idempotent.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
