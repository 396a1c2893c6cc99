# lib.sh -- sourced by the PostgreSQL tests that ingest the shared inputs
# (same_backends.sh, concurrent.sh, roles.sh): the tally binary ($1), the
# inputs, a throw-away cluster (cluster.sh), a work directory removed at
# exit with the cluster (plus the background processes in pids), the
# gazetteer, ok/no reporting. Skips (77) when something is missing.
set -uo pipefail
tally=${1:?usage: $(basename "$0") TALLY}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
shared=${TALLY_SHARED:-$src/../shared}
. "$here/cluster.sh"
inputs=()
for f in "$shared/seeds/seeds.jsonl" "$shared"/corpus/*.jsonl; do [ -f "$f" ] && inputs+=("$f"); done
[ ${#inputs[@]} -gt 0 ] || { echo "skip: no inputs in $shared"; exit 77; }
command -v psql >/dev/null || { echo "skip: no psql"; exit 77; }
pg_cluster_start || exit 77
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-pg-test.XXXXXX")
pids=()
pg_test_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; pg_cluster_stop; }
trap pg_test_cleanup EXIT
export TALLY_GAZETTEER=${TALLY_GAZETTEER:-$(dirname "$tally")/data/gazetteer.bin}
fail=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; fail=1; }
# a database of the cluster: its connection string
pg_createdb() { "${PG_AS[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -U tally "$1" && echo "postgresql:///$1?host=$PG_DIR&user=tally"; }
# an ACLED export (CSV on stdin) with its timestamp column (the time the
# documents were ingested: two ledgers ingest seconds apart) set to "T"
untimed() { python3 -c 'import csv, sys
r = csv.reader(sys.stdin); w = csv.writer(sys.stdout, lineterminator="\n")
h = next(r, None)
if h is not None:
    w.writerow(h); t = h.index("timestamp")
    for row in r: row[t] = "T" if row[t] else ""; w.writerow(row)'; }
