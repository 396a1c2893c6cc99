#!/usr/bin/env bash
# Issue 19, the ledger on PostgreSQL beside SQLite (never fails on a figure):
#  - ingest: ../shared/corpus repeated INGEST_REPS (3) times (each copy's
#    texts made distinct), cut into 1, 2 and 4 pieces, each piece ingested
#    by its own `tally ingest --batch BATCH` (1: a transaction a document,
#    the writer's lock held while one document is stored) at the same time into one fresh
#    PostgreSQL ledger: documents/s of the whole run; SQLite, one writer,
#    beside it;
#  - queries: the synthetic ledger of bench/gen_claims.c (CLAIMS claims,
#    1,000,000 by default) made in SQLite, copied table by table into
#    PostgreSQL (psql \copy), then the queries of bench/ledger.sh on both,
#    best of 3, whole process, in ms.
# The PostgreSQL server is the tests' throw-away cluster (tests/pg/cluster.sh:
# a Unix socket, fsync off): figures of the engine, not of a tuned server.
#
#   TALLY=build/tally bash bench/pg.sh
#   CLAIMS=200000 INGEST_REPS=1 bash bench/pg.sh        # a short run
#   BENCH_SKIP=queries bash bench/pg.sh                  # ingest only
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tally=${TALLY:-$src/build/tally}
build=$(cd "$(dirname "$tally")" && pwd)
shared=${TALLY_SHARED:-$src/../shared}
reps=${INGEST_REPS:-3}
nclaims=${CLAIMS:-1000000}
batch=${BATCH:-1}
[ -x "$tally" ] || { echo "pg bench: $tally not built, skipped"; exit 0; }
if [ -z "${TALLY_GAZETTEER:-}" ] && [ -f "$build/data/gazetteer.bin" ]; then export TALLY_GAZETTEER=$build/data/gazetteer.bin; fi
. "$src/tests/pg/cluster.sh"
pg_cluster_start >/dev/null || { echo "pg bench: PostgreSQL not installed, skipped"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-pg-bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"; pg_cluster_stop' EXIT INT TERM
now() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1e6 }'; }
mkdb() { "${PG_AS[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -U tally "$1" && echo "postgresql:///$1?host=$PG_DIR&user=tally"; }
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (figures are indicative when it is not ~0); $(nproc) CPUs"
echo

# ------------------------------------------------------------------ ingest
if [ "${BENCH_SKIP:-}" != ingest ] && ls "$shared"/corpus/*.jsonl >/dev/null 2>&1; then
  for ((i = 1; i <= reps; i++)); do
    cat "$shared"/corpus/*.jsonl | sed "s/\"text\": *\"/\"text\": \"Copy $i. /"
  done > "$tmp/ingest.jsonl"
  docs=$(wc -l < "$tmp/ingest.jsonl")
  echo "ingest: ../shared/corpus x $reps = $docs documents (PostgreSQL writers: --batch $batch)"
  t0=$(now)
  "$tally" ingest -q --db "$tmp/ingest.db" "$tmp/ingest.jsonl" > /dev/null 2>&1
  t1=$(now)
  m=$(ms "$t0" "$t1")
  awk -v m="$m" -v d="$docs" 'BEGIN { printf "  %-40s %7d ms %8.0f documents/s\n", "SQLite, 1 writer", m, d / (m / 1000) }'
  for w in 1 2 4; do
    db=$(mkdb "ingest$w") || break
    rm -f "$tmp"/part.*
    split -n "l/$w" -d "$tmp/ingest.jsonl" "$tmp/part."
    pids=()
    t0=$(now)
    for f in "$tmp"/part.*; do
      "$tally" ingest -q --batch "$batch" --db "$db" "$f" > /dev/null 2>"$f.err" &
      pids+=($!)
    done
    rc=0
    for p in "${pids[@]}"; do wait "$p" || rc=$?; done
    t1=$(now)
    m=$(ms "$t0" "$t1")
    stored=$(psql "$db" -Atc 'SELECT count(*) FROM documents')
    awk -v m="$m" -v d="$docs" -v w="$w" -v s="$stored" -v rc="$rc" 'BEGIN {
      printf "  %-40s %7d ms %8.0f documents/s   (%d stored, exit %d)\n", "PostgreSQL, " w " writer" (w > 1 ? "s" : ""), m, d / (m / 1000), s, rc }'
  done
  echo
fi

# ------------------------------------------------------------------ queries
[ "${BENCH_SKIP:-}" = queries ] && exit 0
gen=$tmp/gen_claims
# shellcheck disable=SC2046
if ! ${CC:-cc} -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$src/include" -I"$src/src" \
    "$here/gen_claims.c" "$build/libtally.a" $(pkg-config --libs sqlite3 libutf8proc gumbo zlib libpq) -lm -lpthread \
    -o "$gen" 2>"$tmp/cc.log"; then
  echo "queries: bench/gen_claims.c does not build: $(head -c 300 "$tmp/cc.log")"; exit 0
fi
sq=$tmp/claims.db
t0=$(now)
"$gen" "$sq" "$nclaims" > "$tmp/gen.log" 2>&1 || { echo "queries: gen_claims failed: $(tail -n 3 "$tmp/gen.log")"; exit 0; }
t1=$(now)
pg=$(mkdb claims) || exit 0
"$tally" relink -q --db "$pg" > /dev/null 2>&1 # makes the schema
for t in documents actors actor_aliases places incidents claims incident_bounds series series_points; do
  cols=$(sqlite3 "$sq" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')")
  sqlite3 -csv -nullvalue '\N' "$sq" "SELECT $cols FROM $t" |
    psql "$pg" -q -c "\\copy $t($cols) FROM STDIN WITH (FORMAT csv, NULL '\\N')" || echo "queries: copying $t failed"
done
psql "$pg" -q -c "ANALYZE" > /dev/null
t2=$(now)
echo "queries: $nclaims claims generated in SQLite in $(ms "$t0" "$t1") ms, copied into PostgreSQL in $(ms "$t1" "$t2") ms"
echo "  $(printf '%-58s' '')   SQLite ms   PostgreSQL ms   rows"
q() {
  local label=$1 i t0 t1 m out=()
  shift
  for db in "$sq" "$pg"; do
    local best=
    for i in 1 2 3; do
      t0=$(now)
      "$tally" "$@" --db "$db" --csv > "$tmp/q.out" 2> "$tmp/q.err"
      t1=$(now)
      m=$(ms "$t0" "$t1")
      if [ -z "$best" ] || [ "$m" -lt "$best" ]; then best=$m; fi
      [ "$m" -gt 2000 ] && break
    done
    out+=("$best")
  done
  printf '  %-58s %10s %15s %6s\n' "$label" "${out[0]}" "${out[1]}" "$(($(wc -l < "$tmp/q.out") - 1))"
}
q "tally incidents --limit 100" incidents --limit 100
q "tally incidents --place 'Town 17'" incidents --place "Town 17"
q "tally incidents --place 'Town 12 District' (and its towns)" incidents --place "Town 12 District"
q "tally incidents --outcome killed --since/--until 2021-03-14" incidents --outcome killed --since 2021-03-14 --until 2021-03-14
q "tally incidents --claimant 'Claimant 42' --limit 100" incidents --claimant "Claimant 42" --limit 100
q "tally timeline --limit 100" timeline --limit 100
q "tally timeline --claimant 'Claimant 42'" timeline --claimant "Claimant 42"
q "tally timeline --outcome killed --since 2022-06" timeline --outcome killed --since 2022-06 --limit 1000
q "tally incidents (every row)" incidents
q "tally timeline (every row)" timeline
