#!/bin/sh
# Scores `tally extract` on the five seed documents of ../shared against their
# gold claims. Passes when claims F1 >= 0.95 and field accuracy >= 0.90.
# Skips (exit 77) when ../shared (or $TALLY_SHARED) is absent.
#
# usage: seeds_score.sh [PATH/TO/tally]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${TALLY_SOURCE_DIR:-$(dirname "$here")}
tally=${1:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}

if [ ! -d "$shared" ] || [ ! -f "$shared/seeds/seeds.jsonl" ] || [ ! -f "$shared/score" ]; then
  echo "skipped: ../shared not found"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: python3 not found"
  exit 77
fi

out=$(mktemp "${TMPDIR:-/tmp}/tally-seeds.XXXXXX") || exit 1
trap 'rm -f "$out" "$out.score"' EXIT INT TERM

"$tally" extract --format jsonl "$shared/seeds/seeds.jsonl" >"$out"
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: tally extract exited with $rc"
  exit 1
fi

python3 "$shared/score" "$shared/gold/seeds.jsonl" "$out" --texts "$shared/seeds" -v >"$out.score" 2>&1
rc=$?
cat "$out.score"
if [ $rc -ne 0 ]; then
  echo "FAIL: score exited with $rc"
  exit 1
fi

last=$(grep '^claims P=' "$out.score" | tail -n 1)
if [ -z "$last" ]; then
  echo "FAIL: no 'claims P=.. R=.. F1=.. fields=..' line in the score output"
  exit 1
fi
echo "$last" | awk '{
  f1 = -1; fields = -1
  for (i = 1; i <= NF; i++) {
    split($i, kv, "=")
    if (kv[1] == "F1") f1 = kv[2] + 0
    if (kv[1] == "fields") fields = kv[2] + 0
  }
  if (f1 < 0 || fields < 0) { print "FAIL: cannot read F1 and fields from: " $0; exit 1 }
  ok = (f1 >= 0.95 && fields >= 0.90)
  printf "%s: F1=%.3f (need 0.950), fields=%.3f (need 0.900)\n", ok ? "PASS" : "FAIL", f1, fields
  exit ok ? 0 : 1
}'
