#!/usr/bin/env bash
# tally extract is a pure filter (JSON Lines in, JSON Lines out, no state):
#  1. -j 2 and -j 3 give byte for byte the output of -j 1 (stdout, stderr,
#     exit status) over examples/ and ../shared/corpus, in every format;
#  2. ../shared/corpus split into chunks and run through GNU parallel
#     (--pipe, and one process a chunk file) gives, merged, exactly the
#     output of one process: in order with --keep-order, as a set without.
# Exit 77 (skipped) when ../shared/corpus or `parallel` is missing (after
# the checks that need neither).
#
#   bash tests/scale/parallel.sh build/tally
set -u
tally=${1:?usage: parallel.sh TALLY}
here=$(cd "$(dirname "$0")" && pwd)
src=${TALLY_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
shared=${TALLY_SHARED:-$src/../shared}
corpus=$shared/corpus

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-scale.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# same_as_j1 NAME ARGS...: -j 2 and -j 3 against -j 1 (stdin: $stdin_file)
stdin_file=/dev/null
same_as_j1() {
  local name=$1 rc1 rc j
  shift
  timeout 300 "$tally" extract -j 1 "$@" <"$stdin_file" >"$tmp/j1.out" 2>"$tmp/j1.err"
  rc1=$?
  for j in 2 3; do
    timeout 300 "$tally" extract -j "$j" "$@" <"$stdin_file" >"$tmp/jn.out" 2>"$tmp/jn.err"
    rc=$?
    if [ $rc -ne $rc1 ]; then bad "$name: -j $j exit $rc, -j 1 exit $rc1"; continue; fi
    if ! cmp -s "$tmp/j1.out" "$tmp/jn.out"; then bad "$name: -j $j stdout differs from -j 1"; continue; fi
    if ! cmp -s "$tmp/j1.err" "$tmp/jn.err"; then bad "$name: -j $j stderr differs from -j 1"; continue; fi
    ok "$name: -j $j = -j 1 ($(wc -l <"$tmp/j1.out") lines, exit $rc1)"
  done
}

for fmt in jsonl tsv table; do
  same_as_j1 "examples --format $fmt" --format "$fmt" "$src/examples"
done
same_as_j1 "examples --mentions" --mentions "$src/examples"
same_as_j1 "examples --timex" --timex "$src/examples"

# skipped documents are reported in input order too
mkdir -p "$tmp/mixed"
printf 'Rocket fire killed 5 people in Ganja on Monday.' >"$tmp/mixed/a.txt"
printf 'bad \377\376 bytes; shelling killed 3' >"$tmp/mixed/b.txt"
printf '{"id":"j1","text":"Shelling killed 2 civilians in Barda."}\nnot json\n{"id":"j3"}\n{"id":"j4","text":"An airstrike killed 7 soldiers."}\n' >"$tmp/mixed/c.jsonl"
: >"$tmp/mixed/d.txt"
printf 'Three people were injured.' >"$tmp/mixed/e.txt"
same_as_j1 "skipped documents" "$tmp/mixed" "$tmp/no-such-file" "$tmp/mixed/e.txt"

if [ ! -d "$corpus" ] || ! ls "$corpus"/*.jsonl >/dev/null 2>&1; then
  echo "skip: $corpus not found"
  [ $fails -eq 0 ] && exit 77
  exit 1
fi
same_as_j1 "corpus" "$corpus"
same_as_j1 "corpus --mentions" --mentions "$corpus"
cat "$corpus"/*.jsonl >"$tmp/corpus.jsonl"
stdin_file=$tmp/corpus.jsonl same_as_j1 "corpus on stdin" -

if ! command -v parallel >/dev/null 2>&1; then
  echo "skip: GNU parallel not found (Debian package parallel)"
  [ $fails -eq 0 ] && exit 77
  exit 1
fi

# one process: the reference
"$tally" extract <"$tmp/corpus.jsonl" >"$tmp/one.jsonl" 2>/dev/null
[ -s "$tmp/one.jsonl" ] || bad "one process gave no claims"

# --pipe, blocks of ~256 KB cut at line ends, in order
timeout 300 parallel --will-cite --pipe --block 256k -j 2 --keep-order "$tally" extract \
  <"$tmp/corpus.jsonl" >"$tmp/pipe-k.jsonl" 2>"$tmp/pipe.err"
if cmp -s "$tmp/one.jsonl" "$tmp/pipe-k.jsonl"; then ok "parallel --pipe --keep-order = one process"
else bad "parallel --pipe --keep-order differs from one process: $(head -c 300 "$tmp/pipe.err")"; fi

# --pipe without --keep-order: the same lines, in any order
timeout 300 parallel --will-cite --pipe --block 100k -j 2 "$tally" extract \
  <"$tmp/corpus.jsonl" >"$tmp/pipe.jsonl" 2>"$tmp/pipe.err"
if cmp -s <(LC_ALL=C sort "$tmp/one.jsonl") <(LC_ALL=C sort "$tmp/pipe.jsonl"); then
  ok "parallel --pipe (unordered), sorted = one process, sorted"
else bad "parallel --pipe (unordered) differs from one process"; fi

# chunk files, one process each, merged in chunk order
mkdir -p "$tmp/chunks"
split -l 20 -d -a 4 --additional-suffix=.jsonl "$tmp/corpus.jsonl" "$tmp/chunks/part-"
n=$(ls "$tmp/chunks" | wc -l)
timeout 300 parallel --will-cite -j 2 --keep-order "$tally" extract {} ::: "$tmp"/chunks/part-*.jsonl \
  >"$tmp/chunks.jsonl" 2>"$tmp/chunks.err"
if cmp -s "$tmp/one.jsonl" "$tmp/chunks.jsonl"; then ok "$n chunk files through parallel, merged = one process"
else bad "$n chunk files through parallel, merged, differ from one process"; fi

# and -j 2 inside each of two parallel jobs
timeout 300 parallel --will-cite --pipe --block 512k -j 2 --keep-order "$tally" extract -j 2 \
  <"$tmp/corpus.jsonl" >"$tmp/pipe-j2.jsonl" 2>/dev/null
if cmp -s "$tmp/one.jsonl" "$tmp/pipe-j2.jsonl"; then ok "parallel --pipe with tally -j 2 = one process"
else bad "parallel --pipe with tally -j 2 differs from one process"; fi

echo "$fails failed"
[ $fails -eq 0 ]
