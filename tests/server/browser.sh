#!/bin/sh
# The web report in a real browser: builds a database from the seeds (plus a
# hostile document), starts `tally serve` on a free loopback port and drives
# the pages with Debian's chromium through npm's playwright-core
# (tests/server/browser.mjs). Writes docs/screenshots/*.png.
#   usage: browser.sh TALLY   (exit 77: no ../shared, chromium or playwright-core)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SEEDS=${TALLY_SHARED:-$ROOT/../shared}/seeds/seeds.jsonl
[ -f "$SEEDS" ] || { echo "skip: no $SEEDS"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "skip: no node"; exit 77; }
# chromium and playwright-core come from scripts/setup-browser.sh: nothing is
# installed at test time
[ -x /usr/bin/chromium ] || { echo "skip: no chromium (scripts/setup-browser.sh installs it)"; exit 77; }
NPM=$ROOT/.deps/npm
[ -d "$NPM/node_modules/playwright-core" ] ||
  { echo "skip: no playwright-core in .deps/npm (scripts/setup-browser.sh installs it)"; exit 77; }
. "$(dirname "$0")/lib.sh"
DB=$T/seeds.db
"$TALLY" ingest -q --db "$DB" "$SEEDS" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }
cat > "$T/hostile.txt" <<'DOC'
Ganja, October 11, 2020. <script>alert(1)</script> Officials said that 9 civilians were killed in Ganja on October 11, 2020. <img src=x onerror=alert(2)> "quoted" & done.
DOC
"$TALLY" ingest -q --published 2020-10-11 --db "$DB" "$T/hostile.txt" || [ $? = 3 ] || { echo "FAIL: ingest hostile"; exit 1; }
start_server
mkdir -p "$ROOT/docs/screenshots"
NODE_PATH=$NPM/node_modules node "$ROOT/tests/server/browser.mjs" "$URL" "$ROOT/docs/screenshots" "$T/profile" "$NPM/node_modules/playwright-core/index.js"
