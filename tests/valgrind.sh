#!/usr/bin/env bash
# tests/valgrind.sh BUILD_DIR -- the spec tests and the CLI over examples/
# under valgrind memcheck: exits non-zero on any memory error or on a
# definite or indirect leak (still-reachable memory, such as the lexicon
# cached for the process, is not counted). `make valgrind` runs it.
set -u
BUILD=${1:?usage: tests/valgrind.sh BUILD_DIR}
SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
[ -x "$BUILD/tests/spec_runner" ] && [ -x "$BUILD/tally" ] || {
    echo "valgrind.sh: build $BUILD first (make build)" >&2; exit 1; }
export TALLY_GAZETTEER=${TALLY_GAZETTEER:-$BUILD/data/gazetteer.bin}
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=yes --num-callers=30)
fail=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

vrun() { # vrun NAME EXPECTED-STATUSES COMMAND...: status 99 = valgrind found errors
    local name=$1 want=$2; shift 2
    "${VG[@]}" --log-file="$log/$name.vg" "$@" >"$log/$name.out" 2>"$log/$name.err"
    local rc=$?
    if [ "$rc" -eq 99 ] || [ -s "$log/$name.vg" ]; then
        echo "FAIL: $name: valgrind errors"; cat "$log/$name.vg"; fail=1
    elif ! [[ " $want " == *" $rc "* ]]; then
        echo "FAIL: $name: exit status $rc (want $want)"; tail -20 "$log/$name.out" "$log/$name.err"; fail=1
    else
        echo "ok: $name (exit $rc)"
    fi
}

vrun spec 0 "$BUILD/tests/spec_runner" "$SRC"/tests/spec/*.spec
vrun extract-examples 0 "$BUILD/tally" extract "$SRC/examples"
vrun extract-table 0 "$BUILD/tally" extract --format table "$SRC/examples"
vrun extract-tsv 0 "$BUILD/tally" extract --format tsv "$SRC/examples"
vrun extract-mentions 0 "$BUILD/tally" extract --mentions "$SRC/examples"
vrun extract-timex 0 "$BUILD/tally" extract --timex "$SRC/examples"
vrun extract-io-data "0 3" "$BUILD/tally" extract "$SRC/tests/data/io"
# the error paths: skipped documents of every kind in one run (exit 3)
bad=$log/bad
mkdir "$bad"
printf 'Shelling killed 5 civilians in Ganja.\n' >"$bad/good.txt"
printf 'bad \xc0\xaf utf-8\n' >"$bad/utf8.txt"
printf 'nul \x00 byte\n' >"$bad/nul.txt"
: >"$bad/empty.txt"
printf '\x7fELF\x02\x01\x01\x00binary' >"$bad/elf"
printf '{"id":"a","text":"Rockets injured 3 people."}\n{"id":"b","text":\n[1]\n' >"$bad/lines.jsonl"
printf '<html><body><!-- never closed</body></html>' >"$bad/comment.html"
printf '%s' "$(printf '<div>%.0s' $(seq 1 600))" >"$bad/deep.html"
printf 'Shelling killed 5 civilians.\n' | gzip -c | head -c 20 >"$bad/cut.txt.gz"
printf 'WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 900\r\n\r\nshort' >"$bad/cut.warc"
vrun extract-errors 3 "$BUILD/tally" extract "$bad"
vrun usage 2 "$BUILD/tally" extract --format nope

[ $fail -eq 0 ] && echo "valgrind: no errors, no leaks" || echo "valgrind: FAILED"
exit $fail
