#!/bin/sh
# Cue-first extraction (the default) against the whole-document pipeline
# (--full, the reference), issue 16: on examples/ and, when ../shared is
# there, the corpus, the world development set and the seeds, every claim of
# --full must come out of the default with the same outcome, count and
# victims (and no other claim), and at least 99% of them with the same
# claimant, place and date (tests/speed/compare.py).
#
# usage: full_vs_default.sh PATH/TO/tally
set -u
src=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tally=${1:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 not found"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-speed.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

# compare NAME ARGS...: tally extract ARGS with and without --full
compare() {
  name=$1
  shift
  "$tally" extract --full "$@" >"$tmp/full" || { echo "FAIL: $name: tally extract --full failed"; status=1; return; }
  "$tally" extract "$@" >"$tmp/default" || { echo "FAIL: $name: tally extract failed"; status=1; return; }
  python3 "$src/tests/speed/compare.py" "$tmp/full" "$tmp/default" --name "$name" || status=1
}

compare examples "$src/examples"
if [ -d "$shared/corpus" ]; then
  cat "$shared"/corpus/*.jsonl >"$tmp/corpus.jsonl"
  compare corpus "$tmp/corpus.jsonl"
else
  echo "corpus: skipped ($shared/corpus not found)"
fi
[ -f "$shared/dev/world-dev.jsonl" ] && compare world-dev --lang en "$shared/dev/world-dev.jsonl"
[ -f "$shared/seeds/seeds.jsonl" ] && compare seeds "$shared/seeds/seeds.jsonl"
exit $status
