#!/bin/sh
# Runs `tally extract` over every file of ../shared/corpus/ (or
# $TALLY_SHARED/corpus) with a time limit of 300 s a file. Fails on a crash
# (an exit code above 3, or death by a signal) or a timeout; the claims
# themselves are not judged here. Skips (exit 77) without ../shared.
#
# usage: corpus_run.sh [PATH/TO/tally]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${TALLY_SOURCE_DIR:-$(dirname "$here")}
tally=${1:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
limit=${TALLY_CORPUS_TIMEOUT:-300}

if [ ! -d "$shared/corpus" ]; then
  echo "skipped: ../shared not found"
  exit 77
fi

out=$(mktemp "${TMPDIR:-/tmp}/tally-corpus.XXXXXX") || exit 1
trap 'rm -f "$out" "$out.err"' EXIT INT TERM

have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

failed=0
files=0
for f in "$shared"/corpus/*; do
  [ -f "$f" ] || continue
  files=$((files + 1))
  start=$(date +%s)
  if [ $have_timeout -eq 1 ]; then
    timeout -k 10 "$limit" "$tally" extract --format jsonl "$f" >"$out" 2>"$out.err"
  else
    "$tally" extract --format jsonl "$f" >"$out" 2>"$out.err"
  fi
  rc=$?
  secs=$(( $(date +%s) - start ))
  claims=$(grep -c '"outcome"' "$out")
  name=$(basename "$f")
  if [ $have_timeout -eq 1 ] && { [ $rc -eq 124 ] || [ $rc -eq 137 ]; }; then
    echo "FAIL $name: timed out after ${limit}s"
    failed=$((failed + 1))
  elif [ $rc -gt 3 ]; then
    if [ $rc -gt 128 ]; then
      echo "FAIL $name: killed by signal $((rc - 128))"
    else
      echo "FAIL $name: exit code $rc"
    fi
    head -n 5 "$out.err" | sed 's/^/    /'
    failed=$((failed + 1))
  else
    echo "ok   $name: exit $rc, $claims claims, ${secs}s"
    if [ $rc -ne 0 ]; then
      head -n 3 "$out.err" | sed 's/^/    /'
    fi
  fi
done
if [ $files -eq 0 ]; then
  echo "skipped: no files in $shared/corpus"
  exit 77
fi
echo "$((files - failed)) passed, $failed failed"
[ $failed -eq 0 ]
