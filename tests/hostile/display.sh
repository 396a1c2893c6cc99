#!/usr/bin/env bash
# Untrusted bytes in human-readable output, numeric options, write errors:
#  - a document holding ESC sequences (a terminal title, a cleared screen),
#    BEL, a C1 CSI, a bidi override, CR: `extract --format table` and
#    `--format tsv` print none of them raw (U+FFFD), rows stay rows;
#  - file names with a newline and ESC: one row a claim, TSV keeps its 20
#    columns, an error line naming such a file shows \xNN escapes;
#  - numeric options: negative, overflow, not a number, out of range are
#    usage errors (exit 2) with one clear line; unknown --format too;
#  - stdout on /dev/full: version, --help, help CMD, extract (jsonl, table,
#    -j 2) exit 1 with one line "cannot write output: No space left on device";
#  - help: `tally --help` lists serve, `tally help CMD` / `CMD --help`.
. "$(dirname "$0")/lib.sh"

# bytes LIST FILE: no byte of FILE is a control character other than those
# in LIST (a python bytes literal), no DEL, no C1 (C2 80..9F), no U+202E
raw_free() {
    python3 - "$2" "$1" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
allowed = eval(sys.argv[2])
bad = [b for b in set(data) if (b < 0x20 and b not in allowed) or b == 0x7f]
c1 = any(data[i] == 0xC2 and 0x80 <= data[i + 1] <= 0x9F for i in range(len(data) - 1))
bidi = b'\xe2\x80\xae' in data
if bad or c1 or bidi:
    print("  raw control bytes: %s%s%s" % (sorted(bad), " C1" if c1 else "", " U+202E" if bidi else ""))
    sys.exit(1)
PY
}
# every line has as many cells as the header (the first line)
tsv_columns() { awk -F'\t' 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$1"; }

D=$TMP/docs
mkdir -p "$D"
gen "$D/escapes.txt" "b'Shelling killed 5 civilians \x1b]0;owned\x07 in Ganja \x1b[2J\x1b[H on Monday, \xc2\x9b31m officials \xe2\x80\xae said.\r Shelling killed 7 civilians in Barda\x07 on Tuesday, officials said.\n'"
for fmt in table tsv; do
    out=$TMP/$fmt.out
    timeout 60 "$TALLY" extract --format $fmt "$D/escapes.txt" >"$out" 2>"$TMP/err"
    check "--format $fmt: exit 0 ($?)" [ $? -eq 0 ]
    check "--format $fmt: two claims, one line each (and a header)" [ "$(wc -l <"$out")" -eq 3 ]
    if [ $fmt = table ]; then check "table: no raw control byte but newline" raw_free "b'\n'" "$out"
    else check "tsv: no raw control byte but tab and newline" raw_free "b'\t\n'" "$out"
         check "tsv: as many columns as the header on every line" tsv_columns "$out"; fi
    check "--format $fmt: U+FFFD where the escapes were" grep -q $'\xef\xbf\xbd' "$out"
done
# jsonl is machine output (unchanged): C0 controls escaped as JSON (\u001b);
# C1 and bidi controls are valid JSON text and stay as they are
timeout 60 "$TALLY" extract "$D/escapes.txt" >"$TMP/j.out" 2>/dev/null
check "jsonl: ESC as \\u001b" grep -q 'u001b' "$TMP/j.out"
check "jsonl: no raw ESC or BEL" eval "! grep -q \$'[\\x1b\\x07]' \"\$TMP/j.out\""

# file names with a newline and ESC
N=$TMP/names
mkdir -p "$N"
good_doc "$N"
cp "$N/good.txt" "$N/$(printf 'bad\nname\033[31m.txt')"
printf '{"text": "broken' >"$N/$(printf 'x\033]0;t\007.jsonl')"
for fmt in table tsv; do
    out=$TMP/n$fmt.out
    timeout 60 "$TALLY" extract --format $fmt "$N" >"$out" 2>"$TMP/nerr"
    check "names, $fmt: exit 3 (the broken file skipped)" [ $? -eq 3 ]
    check "names, $fmt: two claims, one line each" [ "$(wc -l <"$out")" -eq 3 ]
    if [ $fmt = table ]; then check "names, table: no raw control byte" raw_free "b'\n'" "$out"
    else check "names, tsv: as many columns as the header" tsv_columns "$out"
         check "names, tsv: no raw control byte" raw_free "b'\t\n'" "$out"; fi
    check "names, $fmt: the error line escapes the name" grep -qF 'x\x1B]0;t\x07.jsonl' "$TMP/nerr"
    check "names, $fmt: stderr has no raw ESC" raw_free "b'\n'" "$TMP/nerr"
done

# numeric options
usage() { # usage DESCRIPTION ARGS...: tally ARGS exits 2 with one line naming the option
    local what=$1; shift
    timeout 60 "$TALLY" "$@" </dev/null >/dev/null 2>"$TMP/uerr"
    local rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <"$TMP/uerr")" -ge 1 ] && grep -q -- "$what" "$TMP/uerr"; then ok "$* -> exit 2: $(head -1 "$TMP/uerr")"
    else bad "$* -> exit $rc: $(head -2 "$TMP/uerr")"; fi
}
usage --max-doc-bytes extract --max-doc-bytes -1
usage --max-doc-bytes extract --max-doc-bytes 0
usage --max-doc-bytes extract --max-doc-bytes 99999999999999999999
usage --max-doc-bytes extract --max-doc-bytes 12abc
usage --max-doc-bytes extract --max-doc-bytes=
usage --max-doc-bytes extract --max-doc-bytes ' 5'
usage --jobs extract -j -1
usage --jobs extract --jobs 1025
usage --jobs extract -j 99999999999999999999
usage "unknown format" extract --format bogus
usage --port serve --port -1
usage --port serve --port 65536
timeout 60 "$TALLY" extract --max-doc-bytes 20 "$N/good.txt" >/dev/null 2>&1
check "--max-doc-bytes 20: the document skipped (exit 3)" [ $? -eq 3 ]

# stdout on /dev/full: exit 1, one line with the reason
full() { # full ARGS...
    timeout 60 "$TALLY" "$@" >/dev/full 2>"$TMP/ferr"
    local rc=$?
    local n
    n=$(grep -c 'cannot write output' "$TMP/ferr")
    if [ $rc -eq 1 ] && [ "$n" -eq 1 ] && grep -q 'No space left on device' "$TMP/ferr"; then ok "$* > /dev/full: exit 1, one line"
    else bad "$* > /dev/full: exit $rc, $n lines: $(head -3 "$TMP/ferr")"; fi
}
if [ -w /dev/full ]; then
    full version
    full --help
    full help extract
    full extract --help
    full extract "$N/good.txt"
    full extract --format table "$N/good.txt"
    full extract --format tsv "$N/good.txt"
    full extract -j 2 "$D" "$N/good.txt"
    if "$TALLY" ingest -q --db "$TMP/l.db" "$N/good.txt" 2>/dev/null; then
        full claims --db "$TMP/l.db"
        full export --db "$TMP/l.db" --format csv
    fi
else
    echo "skip /dev/full: not writable"
fi

# help
"$TALLY" --help >"$TMP/h" 2>&1
check "tally --help lists serve" grep -q '^  serve ' "$TMP/h"
"$TALLY" help extract >"$TMP/h" 2>&1
check "tally help extract: its options" grep -q -- '--max-doc-bytes' "$TMP/h"
"$TALLY" extract --help >"$TMP/h2" 2>&1
check "tally extract --help: the same" cmp -s "$TMP/h" "$TMP/h2"
"$TALLY" help serve >"$TMP/h" 2>&1
check "tally help serve: --allow-host" grep -q -- '--allow-host' "$TMP/h"
"$TALLY" help ingest >"$TMP/h" 2>&1
check "tally help ingest: the ledger's usage" grep -q 'tally ingest' "$TMP/h"
check "tally help ingest: its own usage only" sh -c "! grep -q 'tally claims' '$TMP/h'"
for c in claims incidents timeline sources search export relink review; do
    "$TALLY" help "$c" >"$TMP/h" 2>&1
    "$TALLY" "$c" --help >"$TMP/h2" 2>&1
    check "tally help $c: its usage, as $c --help" sh -c "grep -q '^usage: tally $c' '$TMP/h' && cmp -s '$TMP/h' '$TMP/h2'"
done
"$TALLY" help bogus >/dev/null 2>&1
check "tally help bogus: exit 2" [ $? -eq 2 ]
finish
