#!/bin/sh
# The Russian development set: `tally extract --lang ru` on ../shared/dev/ru-dev.jsonl
# scored against ../shared/gold/ru-dev.jsonl. Passes when claims F1 >= 0.90
# and field accuracy >= 0.80 (issue 18). Skips (exit 77) without ../shared.
#
# usage: ru_score.sh [PATH/TO/tally]
set -u
src=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
tally=${1:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
for f in dev/ru-dev.jsonl gold/ru-dev.jsonl gold/world-aliases.json score; do
  [ -f "$shared/$f" ] || { echo "skipped: $shared/$f not found"; exit 77; }
done
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 not found"; exit 77; }

pred=$(mktemp "${TMPDIR:-/tmp}/tally-ru.XXXXXX") || exit 1
trap 'rm -f "$pred"' EXIT INT TERM
"$tally" extract --lang ru "$shared/dev/ru-dev.jsonl" >"$pred" || { echo "FAIL: tally extract --lang ru failed"; exit 1; }
python3 "$shared/score" "$shared/gold/ru-dev.jsonl" "$pred" --aliases "$shared/gold/world-aliases.json" -v |
python3 -c '
import re, sys
text = sys.stdin.read()
sys.stdout.write(text)
m = re.findall(r"^claims P=\S+ R=\S+ F1=(\S+) fields=(\S+)", text, re.M)
if not m:
    sys.exit("FAIL: no claims line in the score output")
f1, fields = map(float, m[-1])
ok = f1 >= 0.90 and fields >= 0.80
print("%s: F1=%.3f (need 0.900), fields=%.3f (need 0.800)" % ("PASS" if ok else "FAIL", f1, fields))
sys.exit(0 if ok else 1)
'
