#!/usr/bin/env bash
# Installs what the browser tests of the web report need: Debian's chromium and
# npm's playwright-core (into .deps/npm, not committed). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
if [ ! -d .deps/npm/node_modules/playwright-core ]; then
  mkdir -p .deps/npm
  npm install --silent --no-audit --no-fund --prefix .deps/npm playwright-core >&2
fi
