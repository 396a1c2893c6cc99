#!/bin/sh
# The web report in a real browser: builds a database from the seeds (plus a
# hostile document), starts `tally serve` on a free loopback port and drives
# the pages with Debian's chromium through npm's playwright-core
# (tests/server/browser.mjs). Writes docs/screenshots/*.png.
#   usage: browser.sh TALLY   (exit 77: no ../shared or no chromium)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$TALLY" serve --help >/dev/null 2>&1 || { echo "skip: this tally has no serve command"; exit 77; }
SEEDS=${TALLY_SHARED:-$ROOT/../shared}/seeds/seeds.jsonl
[ -f "$SEEDS" ] || { echo "skip: no $SEEDS"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "skip: no node"; exit 77; }
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }) >/dev/null 2>&1
  fi
  [ -x /usr/bin/chromium ] || { echo "skip: chromium cannot be installed"; exit 77; }
fi
NPM=$ROOT/.deps/npm
if [ ! -d "$NPM/node_modules/playwright-core" ]; then
  mkdir -p "$NPM"
  npm install --no-audit --no-fund --prefix "$NPM" playwright-core >/dev/null 2>&1 ||
    { echo "skip: npm playwright-core cannot be installed"; exit 77; }
fi

T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
DB=$T/seeds.db
"$TALLY" ingest -q --db "$DB" "$SEEDS" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }
cat > "$T/hostile.txt" <<'DOC'
Ganja, October 11, 2020. <script>alert(1)</script> Officials said that 9 civilians were killed in Ganja on October 11, 2020. <img src=x onerror=alert(2)> "quoted" & done.
DOC
"$TALLY" ingest -q --published 2020-10-11 --db "$DB" "$T/hostile.txt" || [ $? = 3 ] || { echo "FAIL: ingest hostile"; exit 1; }
"$TALLY" serve -q --db "$DB" --port 0 > "$T/serve.out" 2> "$T/serve.err" &
PID=$!
i=0
while ! grep -q '^serving ' "$T/serve.out" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL: server did not start"; cat "$T/serve.err"; exit 1; }
  sleep 0.1
done
URL=$(sed -n 's/^serving //p' "$T/serve.out")
mkdir -p "$ROOT/docs/screenshots"
NODE_PATH=$NPM/node_modules node "$ROOT/tests/server/browser.mjs" "$URL" "$ROOT/docs/screenshots" "$T/profile" "$NPM/node_modules/playwright-core/index.js"
