#!/bin/sh
# The web report in a real browser: builds an archive ledger from the seeds,
# ../shared/corpus/ and ../shared/dev/world-dev.jsonl (plus a hostile document), starts `tally serve` on a free loopback port and drives
# the pages with Debian's chromium through npm's playwright-core
# (tests/server/browser.mjs). Screenshots go to a scratch directory, or to
# $TALLY_SCREENSHOTS (TALLY_SCREENSHOTS=$PWD/docs/screenshots ctest -R
# server/browser refreshes the README's): a test run leaves the tree as it is.
#   usage: browser.sh TALLY   (exit 77: no ../shared, chromium or playwright-core)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TALLY_SHARED:-$ROOT/../shared}
SEEDS=$SHARED/seeds/seeds.jsonl
for f in "$SEEDS" "$SHARED/corpus" "$SHARED/dev/world-dev.jsonl"; do
  [ -e "$f" ] || { echo "skip: no $f"; exit 77; }
done
command -v node >/dev/null 2>&1 || { echo "skip: no node"; exit 77; }
# chromium and playwright-core come from scripts/setup-browser.sh: nothing is
# installed at test time
[ -x /usr/bin/chromium ] || { echo "skip: no chromium (scripts/setup-browser.sh installs it)"; exit 77; }
NPM=$ROOT/.deps/npm
[ -d "$NPM/node_modules/playwright-core" ] ||
  { echo "skip: no playwright-core in .deps/npm (scripts/setup-browser.sh installs it)"; exit 77; }
. "$(dirname "$0")/lib.sh"
DB=$T/archive.db
"$TALLY" ingest -q --db "$DB" "$SEEDS" "$SHARED/corpus" "$SHARED/dev/world-dev.jsonl" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }
cat > "$T/hostile.txt" <<'DOC'
Ganja, October 11, 2020. <script>alert(1)</script> Officials said that 9 civilians were killed in Ganja on October 11, 2020. <img src=x onerror=alert(2)> "quoted" & done.
DOC
"$TALLY" ingest -q --published 2020-10-11 --db "$DB" "$T/hostile.txt" || [ $? = 3 ] || { echo "FAIL: ingest hostile"; exit 1; }
start_server
SHOTS=${TALLY_SCREENSHOTS:-$T/screenshots}
mkdir -p "$SHOTS"
NODE_PATH=$NPM/node_modules node "$ROOT/tests/server/browser.mjs" "$URL" "$SHOTS" "$T/profile" "$NPM/node_modules/playwright-core/index.js"
