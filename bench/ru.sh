#!/usr/bin/env bash
# Issue 18, Russian throughput: ../shared/dev/ru-dev.jsonl repeated to
# BENCH_RU_MB (10) MB of JSON Lines, `tally extract --lang ru` -j 1 over it,
# in MB/s (a figure, never a pass/fail). make bench runs it.
#
#   TALLY=build/tally bash bench/ru.sh
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
tally=${TALLY:-$src/build/tally}
dev=${TALLY_SHARED:-$src/../shared}/dev/ru-dev.jsonl
mb=${BENCH_RU_MB:-10}
export LC_ALL=C.UTF-8
if [ -z "${TALLY_GAZETTEER:-}" ] && [ -f "$(dirname "$tally")/data/gazetteer.bin" ]; then
  export TALLY_GAZETTEER=$(dirname "$tally")/data/gazetteer.bin
fi
[ -x "$tally" ] || { echo "ru bench: $tally not built, skipped"; exit 0; }
[ -f "$dev" ] || { echo "ru bench: $dev not found, skipped"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-ru-bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT INT TERM
while [ "$(stat -c %s "$tmp/in.jsonl" 2>/dev/null || echo 0)" -lt $((mb * 1000000)) ]; do cat "$dev" >>"$tmp/in.jsonl"; done
bytes=$(stat -c %s "$tmp/in.jsonl")
t0=$(date +%s.%N)
"$tally" extract --lang ru -q "$tmp/in.jsonl" >"$tmp/out.jsonl"
t1=$(date +%s.%N)
awk -v b="$bytes" -v s0="$t0" -v s1="$t1" -v n="$(wc -l <"$tmp/out.jsonl")" 'BEGIN {
  s = s1 - s0
  printf "russian: %.1f MB in %.2f s: %.2f MB/s (tally extract --lang ru -j 1), %d claims\n", b / 1e6, s, (s > 0 ? b / 1e6 / s : 0), n
}'
