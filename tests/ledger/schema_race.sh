#!/bin/bash
# schema_race.sh TALLY -- four `tally ingest` at once into one new ledger
# (issue 12, 17): each creates the schema if it is missing; the version is
# checked again inside the write transaction, so none fails with "table ...
# already exists" and every document is stored once. Three rounds, each on
# a new database. Texts written for this test.
set -u
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3 shell"; exit 77; }
TALLY=${1:?usage: $0 path/to/tally}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tally-race.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fails=0
for i in 1 2 3 4; do
    printf '{"id":"r%s","published":"2020-10-0%s","text":"Shelling of Barda on %s October killed %s civilians, the Prosecutor General of Azerbaijan said."}\n' \
        "$i" "$i" "$i" "$((i + 1))" >"$TMP/in$i.jsonl"
done
for round in 1 2 3; do
    db=$TMP/race$round.db
    pids=()
    for i in 1 2 3 4; do
        timeout 120 "$TALLY" ingest -q --db "$db" "$TMP/in$i.jsonl" 2>"$TMP/err$round.$i" &
        pids+=($!)
    done
    for i in 1 2 3 4; do
        if ! wait "${pids[$((i - 1))]}"; then
            echo "FAIL: round $round: ingest $i failed: $(head -3 "$TMP/err$round.$i")"
            fails=$((fails + 1))
        fi
    done
    n=$(sqlite3 "$db" 'SELECT count(*) FROM documents' 2>/dev/null || echo "?")
    v=$(sqlite3 "$db" 'PRAGMA user_version' 2>/dev/null || echo "?")
    if [ "$n" != 4 ] || [ "$v" != 4 ]; then
        echo "FAIL: round $round: $n documents (want 4), schema version $v"
        fails=$((fails + 1))
    else
        echo "ok: round $round: 4 ingests at once into a new ledger, 4 documents"
    fi
done
[ "$fails" -eq 0 ]
