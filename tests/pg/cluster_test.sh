#!/usr/bin/env bash
# The throw-away PostgreSQL server of the tests (cluster.sh) starts on a Unix
# socket only, answers, and leaves nothing behind.
set -u
. "$(dirname "$0")/cluster.sh"
pg_cluster_start || exit 77
dir=$PG_DIR
[ "$(psql "$TALLY_TEST_PG" -Atc 'select 40 + 2')" = 42 ] && echo "ok: the server answers on its socket" || { echo "FAIL: no answer"; exit 1; }
[ "$(psql "$TALLY_TEST_PG" -Atc "show listen_addresses")" = "" ] && echo "ok: no TCP listener" || { echo "FAIL: listens on TCP"; exit 1; }
pg_cluster_stop
[ ! -d "$dir" ] && echo "ok: removed at the end" || { echo "FAIL: $dir left behind"; exit 1; }
echo "3 passed, 0 failed"
