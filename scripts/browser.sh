#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are there for the dashboard page test: installs
# Debian's `chromium` and `chromium-driver` where /usr/bin/chromium or /usr/bin/chromedriver is missing.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
/usr/bin/chromium --version
