#!/usr/bin/env bash
# tests/pg/test_pg_columns.c on a seeds ledger in SQLite and in PostgreSQL.
#   bash tests/pg/pg_columns.sh build/tally build/tests/pg/test_pg_columns
. "$(dirname "$0")/lib.sh"
prog=${2:?usage: pg_columns.sh TALLY TEST_PG_COLUMNS}
seeds=$shared/seeds/seeds.jsonl
for db in "$work/seeds.db" "$TALLY_TEST_PG"; do
  "$tally" ingest -q --db "$db" "$seeds" && "$tally" review 3 --set count_low=2 --db "$db" || exit 1
done
"$prog" "$work/seeds.db" "$TALLY_TEST_PG"
