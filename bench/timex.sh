#!/usr/bin/env bash
# The temporal tagger against TempEval-3 (../shared/bench/tempeval3): tally's
# scores on platinum (the test set) and TBAQ (the development set), side by
# side with chrono-node's (npm, installed into .deps/npm on first use), with
# the seconds each took. Prints figures; never fails on a score.
#
#   TALLY=build/tally bash bench/timex.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tally=${TALLY:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
bench=$shared/bench/tempeval3
deps=$src/.deps/npm

if [ ! -f "$bench/platinum-docs.jsonl" ] || [ ! -f "$shared/score-timex" ]; then
  echo "timex bench: $bench not found, skipped"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "timex bench: python3 not found, skipped"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-timex-bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# score GOLD PRED -> "relaxed strict value type" (or "- - - -")
score() {
  local line
  line=$(python3 "$shared/score-timex" "$1" "$2" 2>/dev/null | grep '^timex ' | tail -n 1)
  if [ -z "$line" ]; then echo "- - - -"; return; fi
  echo "$line" | sed 's/^timex relaxed F1=\([0-9.]*\) strict F1=\([0-9.]*\) value F1=\([0-9.]*\) type=\([0-9.]*\).*/\1 \2 \3 \4/'
}

rows=()
# run NAME SET CMD... : tags SET's documents, scores, adds a row
run() {
  local name=$1 set=$2
  shift 2
  local pred="$tmp/$name-$set.jsonl" t0 t1 rc
  t0=$(now)
  "$@" "$bench/$set-docs.jsonl" >"$pred" 2>"$tmp/err"
  rc=$?
  t1=$(now)
  if [ $rc -ne 0 ]; then
    echo "$name on $set: exited with $rc: $(head -c 300 "$tmp/err")"
    rows+=("$name $set - - - - $(secs "$t0" "$t1")")
    return
  fi
  rows+=("$name $set $(score "$bench/$set-timex.jsonl" "$pred") $(secs "$t0" "$t1")")
}

tally_timex() { "$tally" extract --timex "$1"; }
chrono_timex() { TZ=UTC node "$here/chrono_timex.mjs" "$deps" "$1"; }

if [ -x "$tally" ]; then
  run tally platinum tally_timex
  run tally tbaq tally_timex
else
  echo "tally: $tally not built"
fi

chrono_ok=0
if command -v node >/dev/null 2>&1; then
  if [ ! -f "$deps/node_modules/chrono-node/package.json" ] && command -v npm >/dev/null 2>&1; then
    echo "installing chrono-node into $deps ..."
    mkdir -p "$deps"
    timeout 300 npm install --silent --no-audit --no-fund --prefix "$deps" chrono-node >"$tmp/npm.log" 2>&1 ||
      echo "npm install failed: $(tail -n 3 "$tmp/npm.log")"
  fi
  [ -f "$deps/node_modules/chrono-node/package.json" ] && chrono_ok=1
fi
if [ $chrono_ok = 1 ]; then
  v=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$deps/node_modules/chrono-node/package.json" | head -n 1)
  run "chrono-node-$v" platinum chrono_timex
  run "chrono-node-$v" tbaq chrono_timex
else
  echo "chrono-node: not available"
fi

echo
printf '%-22s %-9s %8s %8s %8s %8s %8s\n' system set relaxed strict value type seconds
for r in "${rows[@]}"; do
  # shellcheck disable=SC2086
  printf '%-22s %-9s %8s %8s %8s %8s %8s\n' $r
done
echo "(TempEval-3 scores: relaxed/strict extent F1, value F1, type accuracy; platinum is the test set)"
exit 0
