#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when missing: the admin module's browser test drives them with
# Selenium (the driver path is pinned, so nothing is downloaded at test time). Without them that test is skipped.
set -uo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium and chromedriver are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no apt-get: install chromium and chromium-driver by hand; the admin browser test is skipped until then" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
echo "installing chromium and chromium-driver"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
