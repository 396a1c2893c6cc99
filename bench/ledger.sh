#!/usr/bin/env bash
# Issue 7, the ledger's figures, each beside its target (never fails on a
# target):
#  - ingest: `tally ingest` of ../shared/corpus repeated INGEST_REPS (5)
#    times (each copy's texts made distinct, or they would be skipped as
#    already stored), documents/s, beside `tally extract` over the same file
#    (the share of extraction), and the storing side alone: bench/gen_claims.c
#    --store extracts every document first, then times only what `tally
#    ingest` does to store them (the already-stored check, documents, claims
#    and links, the FTS5 rows and the commits), best of 3. `tally ingest`
#    extracts in a second thread while it stores: on two free cores its time
#    is about the larger of the two, not their sum;
#  - queries: a database of CLAIMS (1,000,000) synthetic claims made by
#    bench/gen_claims.c straight into the schema, then `tally incidents` and
#    `tally timeline` as a user runs them, in ms (best of 3 runs, whole
#    process; one run when it takes over 2 s);
#  - linking (issue 13): `tally relink` of that database (every incident,
#    series and copy again), and incremental ingest into it: the corpus
#    (its texts made distinct) and a one-town archive of 1,000 one-claim
#    documents, each on a copy of the relinked database.
#
#   TALLY=build/tally bash bench/ledger.sh
#   CLAIMS=200000 INGEST_REPS=2 TALLY=build/tally bash bench/ledger.sh
#   LEDGER_DB=/tmp/claims-1m.db TALLY=build/tally bash bench/ledger.sh
#
# LEDGER_DB: keep the generated ledger there and reuse it on the next runs
# (generating 1M claims takes about a minute); it is made again when its
# claim count is not CLAIMS or its schema is not this tally's. BENCH_SKIP:
# "ingest" or "queries" to run only the other part.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tally=${TALLY:-$src/build/tally}
build=$(cd "$(dirname "$tally")" && pwd)
shared=${TALLY_SHARED:-$src/../shared}
corpus=$shared/corpus
reps=${INGEST_REPS:-5}
nclaims=${CLAIMS:-1000000}
if [ -z "${TALLY_GAZETTEER:-}" ] && [ -f "$build/data/gazetteer.bin" ]; then
  export TALLY_GAZETTEER=$build/data/gazetteer.bin
fi
if [ ! -x "$tally" ]; then echo "ledger bench: $tally not built, skipped"; exit 0; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-ledger-bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1e6 }'; }
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (figures are indicative when it is not ~0)"
echo

# ------------------------------------------------------------------ gen_claims
gen=
if pkg-config --exists sqlite3 libutf8proc gumbo zlib 2>/dev/null && [ -f "$build/libtally.a" ]; then
  # libtally.a holds the PostgreSQL backend when it was built with libpq
  pq=; pkg-config --exists libpq 2>/dev/null && pq=libpq
  # shellcheck disable=SC2046
  if ${CC:-cc} -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$src/include" -I"$src/src" \
      "$here/gen_claims.c" "$build/libtally.a" $(pkg-config --libs sqlite3 libutf8proc gumbo zlib $pq) -lm -lpthread \
      -o "$tmp/gen_claims" 2>"$tmp/cc.log"; then
    gen=$tmp/gen_claims
  else
    echo "bench/gen_claims.c does not build: $(head -c 300 "$tmp/cc.log")"
  fi
else
  echo "cannot build bench/gen_claims.c (needs $build/libtally.a and the -dev packages): no store-only figure, no queries"
fi

# ------------------------------------------------------------------ ingest
if [ "${BENCH_SKIP:-}" = ingest ]; then
  :
elif ls "$corpus"/*.jsonl >/dev/null 2>&1; then
  for ((i = 1; i <= reps; i++)); do
    cat "$corpus"/*.jsonl | sed "s/\"text\": *\"/\"text\": \"Copy $i. /"
  done >"$tmp/ingest.jsonl"
  docs=$(wc -l <"$tmp/ingest.jsonl")
  bytes=$(wc -c <"$tmp/ingest.jsonl")
  t0=$(now)
  "$tally" extract -q "$tmp/ingest.jsonl" >/dev/null
  t1=$(now)
  "$tally" ingest -q --db "$tmp/ingest.db" "$tmp/ingest.jsonl" >"$tmp/ingest.log" 2>&1
  rc=$?
  t2=$(now)
  stored=$(sqlite3 "$tmp/ingest.db" 'SELECT count(*) FROM documents' 2>/dev/null || echo '?')
  claims=$(sqlite3 "$tmp/ingest.db" 'SELECT count(*) FROM claims' 2>/dev/null || echo '?')
  ext_ms=$(ms "$t0" "$t1") ing_ms=$(ms "$t1" "$t2")
  echo "ingest: ../shared/corpus x $reps = $docs documents, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB (exit $rc; stored $stored documents, $claims claims)"
  awk -v d="$docs" -v e="$ext_ms" -v i="$ing_ms" 'BEGIN {
    printf "  %-44s %8d ms %10.0f documents/s   target >= 20000 documents/s\n", "tally ingest (extract + store)", i, d / (i / 1000)
    printf "  %-44s %8d ms %10.0f documents/s\n", "tally extract alone", e, d / (e / 1000)
    if (i > e) printf "  %-44s %8d ms %10.0f documents/s   (ingest minus extract)\n", "the storing side, by difference", i - e, d / ((i - e) / 1000)
  }'
  if [ -n "$gen" ]; then
    # the storing side alone, best of 3 (the documents extracted beforehand)
    best=
    for i in 1 2 3; do
      "$gen" --store "$tmp/store.db" "$tmp/ingest.jsonl" >"$tmp/store.out" 2>&1 || { echo "  gen_claims --store failed: $(tail -n 2 "$tmp/store.out")"; break; }
      t=$(awk '{ for (k = 1; k < NF; k++) if ($(k + 1) == "s" && $k + 0 == $k && $(k - 1) == "store") print $k }' "$tmp/store.out")
      if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; cp "$tmp/store.out" "$tmp/store.best"; fi
    done
    if [ -n "$best" ]; then
      # "N documents S stored C claims extract X s store Y s check A s ingest_doc B s commit C s close D s"
      awk '{
        for (k = 1; k < NF; k++) v[$(k + 1)] = $k
        for (k = 2; k <= NF; k++) if ($k == "s") t[$(k - 2)] = $(k - 1)
        n = v["documents"]; st = t["store"]
        printf "  %-44s %8.0f ms %10.0f documents/s   target >= 20000 documents/s\n", "the storing side alone (gen_claims --store)", st * 1000, n / st
        printf "  %-44s %8.0f ms   the already-stored check (SHA-256 of the text, a lookup)\n", "  of which", t["check"] * 1000
        printf "  %-44s %8.0f ms   documents, claims, links; the FTS5 rows every 64 documents\n", "  of which", t["ingest_doc"] * 1000
        printf "  %-44s %8.0f ms   the commits (with the last FTS5 rows of each batch)\n", "  of which", t["commit"] * 1000
      }' "$tmp/store.best"
    fi
  fi
else
  echo "ingest: $corpus not found, skipped"
fi
echo

# ------------------------------------------------------------------ queries
[ "${BENCH_SKIP:-}" = queries ] && exit 0
[ -n "$gen" ] || { echo "queries: no bench/gen_claims, skipped"; exit 0; }
db=${LEDGER_DB:-$tmp/claims.db}
have=
if [ -n "${LEDGER_DB:-}" ] && [ -f "$db" ]; then
  have=$(sqlite3 "$db" "SELECT count(*) FROM claims" 2>/dev/null)
  # made by an earlier tally (without the indexes the queries use): again
  idx=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name IN ('incidents_span', 'series_name')" 2>/dev/null)
  [ "$idx" = 2 ] || have=
fi
if [ "$have" = "$nclaims" ]; then
  echo "queries: reusing $db"
else
  t0=$(now)
  "$gen" "$db" "$nclaims" >"$tmp/gen.log" 2>&1 || { echo "queries: gen_claims failed: $(tail -n 3 "$tmp/gen.log")"; exit 0; }
  t1=$(now)
  echo "queries: generated in $(ms "$t0" "$t1") ms"
fi
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM claims) || ' claims, ' || (SELECT count(*) FROM documents) || ' documents, ' || (SELECT count(*) FROM incidents) || ' incidents, ' || (SELECT count(*) FROM series_points) || ' series points'")
echo "queries: $counts ($(du -m "$db" | cut -f1) MB)"

# q LABEL ARGS...: best of 3 runs of `tally ARGS --db DB`, in ms, and the rows
# (a listing of every row has no target)
q() {
  local label=$1 best= t0 t1 m rows i target='target < 100 ms'
  shift
  case $label in *"every row"*) target='(no target)' ;; esac
  for i in 1 2 3; do
    t0=$(now)
    "$tally" "$@" --db "$db" --csv >"$tmp/q.out" 2>"$tmp/q.err"
    t1=$(now)
    m=$(ms "$t0" "$t1")
    if [ -z "$best" ] || [ "$m" -lt "$best" ]; then best=$m; fi
    [ "$m" -gt 2000 ] && break # slow: once is enough
  done
  rows=$(($(wc -l <"$tmp/q.out") - 1))
  [ $rows -lt 0 ] && rows=0
  printf '  %-58s %7s ms %8s rows   %s\n' "$label" "$best" "$rows" "$target"
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
echo

# ------------------------------------------------------------------ linking
[ "${BENCH_SKIP:-}" = linking ] && exit 0
cp "$db" "$tmp/relink.db"
t0=$(now)
"$tally" relink -q --db "$tmp/relink.db" 2>"$tmp/relink.err"
rc=$?
t1=$(now)
links=$(sqlite3 "$tmp/relink.db" "SELECT (SELECT count(*) FROM incidents) || ' incidents, ' || (SELECT count(*) FROM series) || ' series, ' || (SELECT count(*) FROM claims WHERE same_as IS NOT NULL) || ' copies'")
printf '  %-58s %7s ms   (exit %s; %s)   target: minutes\n' "tally relink ($nclaims claims)" "$(ms "$t0" "$t1")" "$rc" "$links"
# incremental: new documents into the relinked ledger
inc() {
  local label=$1 file=$2 docs
  cp "$tmp/relink.db" "$tmp/inc.db"
  docs=$(wc -l <"$file")
  t0=$(now)
  "$tally" ingest -q --db "$tmp/inc.db" "$file" >/dev/null 2>&1
  t1=$(now)
  m=$(ms "$t0" "$t1")
  awk -v l="$label" -v m="$m" -v d="$docs" 'BEGIN { printf "  %-58s %7d ms %8.0f documents/s\n", l, m, d / (m > 0 ? m / 1000 : 1) }'
}
if ls "$corpus"/*.jsonl >/dev/null 2>&1; then
  cat "$corpus"/*.jsonl | sed 's/"text": *"/"text": "Incremental. /' >"$tmp/inc.jsonl"
  inc "ingest the corpus into it ($(wc -l <"$tmp/inc.jsonl") documents)" "$tmp/inc.jsonl"
fi
for ((i = 1; i <= 1000; i++)); do
  printf '{"id":"town-%d","published":"2022-06-01","text":"Officials said %d civilians were killed in Town 17 on Monday."}\n' "$i" "$i"
done >"$tmp/town.jsonl"
inc "ingest a one-town archive into it (1000 documents)" "$tmp/town.jsonl"
exit 0
