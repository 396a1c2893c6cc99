#!/usr/bin/env bash
# The ledger commands under hostile input (issue 17):
#  - a stored document whose text, title and publisher hold ESC sequences
#    (a terminal title, a cleared screen), BEL, a C1 CSI and a bidi
#    override: the tables of `claims`, `incidents`, `timeline`, `sources`
#    and `search` print none of them raw (U+FFFD where they were), one line
#    a row;
#  - numeric options (--limit, --batch, review's CLAIM_ID): negative,
#    zero, overflow, not a number are usage errors (exit 2) naming the
#    option;
#  - an unknown --outcome is a usage error naming it and every outcome.
. "$(dirname "$0")/lib.sh"

# no_raw FILE: no control byte but newline, no DEL, no C1 control, no U+202E
no_raw() {
    ! LC_ALL=C tr -d '\n' <"$1" | LC_ALL=C grep -q '[[:cntrl:]]' &&
        ! LC_ALL=C grep -qaP '\xc2[\x80-\x9f]|\xe2\x80\xae' "$1"
}
# lines FILE: its number of lines
lines() { wc -l <"$1"; }

DB=$TMP/h.db
gen "$TMP/h.jsonl" "b'{\"id\":\"esc\\\\u001b[31m\",\"published\":\"2020-10-10\",\"title\":\"Title \\\\u001b]0;owned\\\\u0007 here\",\"source\":\"Wire \\\\u009b31m X\",\"text\":\"Shelling killed 5 civilians \\\\u001b]0;owned\\\\u0007 in Ganja \\\\u001b[2J on 9 October, \\\\u009b31m officials \\\\u202e said. Since 27 September, 40 civilians have been killed \\\\u0007 in total, the Prosecutor General of Azerbaijan said on Saturday.\"}\\n'"
timeout "$TIMEOUT" "$TALLY" ingest -q --db "$DB" "$TMP/h.jsonl" 2>"$TMP/ingest.err"
check "ingest: exit 0 ($?)" [ $? -eq 0 ]
for cmd in claims incidents timeline sources "search Ganja"; do
    out=$TMP/$(echo "$cmd" | tr ' ' _).out
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$TALLY" $cmd --db "$DB" >"$out" 2>"$TMP/err"
    rc=$?
    check "$cmd: exit 0 ($rc)" [ $rc -eq 0 ]
    check "$cmd: rows printed" [ "$(lines "$out")" -ge 2 ]
    check "$cmd: no raw control byte, C1 or bidi control in the table" no_raw "$out"
done
check "claims: U+FFFD where the escapes were" grep -q $'\xef\xbf\xbd' "$TMP/claims.out"
check "claims: one line a claim (and the header)" [ "$(lines "$TMP/claims.out")" -eq 3 ]

# numeric options
for bad in -1 0 99999999999999999999 abc 1x ''; do
    timeout "$TIMEOUT" "$TALLY" claims --db "$DB" --limit "$bad" >/dev/null 2>"$TMP/err"
    rc=$?
    check "claims --limit '$bad': exit 2 ($rc)" [ $rc -eq 2 ]
    check "claims --limit '$bad': one line naming --limit" \
        eval '[ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q -- "--limit" "$TMP/err"'
done
timeout "$TIMEOUT" "$TALLY" claims --db "$DB" --limit 1 >"$TMP/one" 2>/dev/null
check "claims --limit 1: one row" [ "$(lines "$TMP/one")" -eq 2 ]
timeout "$TIMEOUT" "$TALLY" ingest --db "$TMP/b.db" --batch -5 "$TMP/h.jsonl" >/dev/null 2>"$TMP/err"
check "ingest --batch -5: exit 2 ($?)" [ $? -eq 2 ]
for bad in abc 0 -3 99999999999999999999; do
    timeout "$TIMEOUT" "$TALLY" review --db "$DB" "$bad" --confirm >/dev/null 2>"$TMP/err"
    rc=$?
    check "review '$bad' --confirm: exit 2 ($rc)" [ $rc -eq 2 ]
done

# enumerations
for cmd in claims incidents timeline sources "export --format csv" "export --format acled"; do
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$TALLY" $cmd --db "$DB" --outcome kiled >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check "$cmd --outcome kiled: exit 2 ($rc)" [ $rc -eq 2 ]
    check "$cmd --outcome kiled: names it and the outcomes" \
        eval 'grep -q "kiled" "$TMP/err" && grep -q "killed, injured" "$TMP/err" && grep -q "casualties" "$TMP/err"'
    check "$cmd --outcome kiled: no output" [ ! -s "$TMP/out" ]
done
timeout "$TIMEOUT" "$TALLY" claims --db "$DB" --outcome "$(printf 'x\033[2J')" >/dev/null 2>"$TMP/err"
check "an unknown outcome with ESC: named with \\x escapes" eval 'grep -qi "x\\\\x1b\\[2J" "$TMP/err" && no_raw "$TMP/err"'
timeout "$TIMEOUT" "$TALLY" claims --db "$DB" --outcome killed >"$TMP/k" 2>/dev/null
check "claims --outcome killed: the killed claims" [ "$(lines "$TMP/k")" -eq 3 ]
finish
