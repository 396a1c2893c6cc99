#!/bin/sh
# Runs `tally extract --timex` on the TempEval-3 development set (TBAQ) of
# ../shared/bench/tempeval3, scores it with ../shared/score-timex and prints
# the score. Fails unless the value F1 is >= 0.80 (TIMEX_MIN_VALUE_F1
# overrides). Skips (exit 77) when ../shared (or $TALLY_SHARED) or python3
# is absent.
#
# usage: tbaq_score.sh [PATH/TO/tally]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${TALLY_SOURCE_DIR:-$(dirname "$(dirname "$here")")}
tally=${1:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
min=${TIMEX_MIN_VALUE_F1:-0.80}
bench=$shared/bench/tempeval3

if [ ! -f "$bench/tbaq-docs.jsonl" ] || [ ! -f "$bench/tbaq-timex.jsonl" ] || [ ! -f "$shared/score-timex" ]; then
  echo "skipped: $shared/bench/tempeval3 or $shared/score-timex not found"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: python3 not found"
  exit 77
fi

out=$(mktemp "${TMPDIR:-/tmp}/tally-tbaq.XXXXXX") || exit 1
trap 'rm -f "$out" "$out.score"' EXIT INT TERM

"$tally" extract --timex "$bench/tbaq-docs.jsonl" >"$out"
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: tally extract --timex exited with $rc"
  exit 1
fi

python3 "$shared/score-timex" "$bench/tbaq-timex.jsonl" "$out" >"$out.score" 2>&1
rc=$?
cat "$out.score"
if [ $rc -ne 0 ]; then
  echo "FAIL: score-timex exited with $rc"
  exit 1
fi

# last line: timex relaxed F1=.. strict F1=.. value F1=.. type=..
v=$(sed -n 's/^timex .*value F1=\([0-9.]*\).*/\1/p' "$out.score" | tail -n 1)
if [ -z "$v" ]; then
  echo "FAIL: no value F1 in the score"
  exit 1
fi
if awk -v v="$v" -v m="$min" 'BEGIN { exit !(v + 0 >= m + 0) }'; then
  echo "PASS: TBAQ value F1 $v >= $min"
  exit 0
fi
echo "FAIL: TBAQ value F1 $v < $min"
exit 1
