#!/usr/bin/env bash
# Checks that two tally binaries build the same ledger and answer the same:
# the guard of a change to the store, the linking or the server that must not
# change behaviour (like tests/same_output.sh for extraction).
#
#   bash tests/ledger/same_ledger.sh OLD_TALLY NEW_TALLY [WORKDIR]
#
# Each binary ingests the same inputs (from ../shared: the seeds, the corpus
# and the world development set) into its own database, then both are asked
# the same questions: claims, incidents, timeline, sources (table, --json,
# --csv, and with filters), search, export in every format, relink, and the
# JSON API of `tally serve` on a few routes. Last, OLD's database is opened
# read-write by NEW (migrated when OLD's schema is older) and must answer as
# NEW's. Each binary reads its own
# gazetteer (TALLY_GAZETTEER_OLD / TALLY_GAZETTEER_NEW, default
# data/gazetteer.bin beside the binary). Prints one line per answer and exits
# 1 if any differs.
set -uo pipefail
old=${1:?usage: same_ledger.sh OLD_TALLY NEW_TALLY [WORKDIR]}
new=${2:?usage: same_ledger.sh OLD_TALLY NEW_TALLY [WORKDIR]}
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${TALLY_SHARED:-$src/../shared}
work=${3:-$(mktemp -d "${TMPDIR:-/tmp}/tally-ledger.XXXXXX")}
mkdir -p "$work"
gaz_old=${TALLY_GAZETTEER_OLD:-$(dirname "$old")/data/gazetteer.bin}
gaz_new=${TALLY_GAZETTEER_NEW:-$(dirname "$new")/data/gazetteer.bin}
inputs=()
for f in "$shared/seeds/seeds.jsonl" "$shared"/corpus/*.jsonl "$shared/dev/world-dev.jsonl"; do
  [ -f "$f" ] && inputs+=("$f")
done
[ ${#inputs[@]} -gt 0 ] || { echo "skip: no inputs in $shared"; exit 77; }

fail=0
# cmp_out NAME: compare $work/NAME.old and $work/NAME.new (and exit codes r1 r2)
cmp_out() {
  local name=$1
  if [ "$r1" -ne "$r2" ] || ! cmp -s "$work/$name.old" "$work/$name.new"; then
    echo "DIFFERS  $name (exit $r1 vs $r2; diff $work/$name.old $work/$name.new)"; fail=1
  else
    echo "same     $name ($(wc -l < "$work/$name.new") lines)"
  fi
}
# run NAME ARGS...: `tally ARGS --db DB` with both binaries, each on its database
run() {
  local name=$1; shift
  TALLY_GAZETTEER=$gaz_old "$old" "$@" --db "$work/old.db" > "$work/$name.old" 2> "$work/$name.old.err"; r1=$?
  TALLY_GAZETTEER=$gaz_new "$new" "$@" --db "$work/new.db" > "$work/$name.new" 2> "$work/$name.new.err"; r2=$?
  cmp_out "$name"
}

rm -f "$work"/old.db* "$work"/new.db*
run ingest ingest -q "${inputs[@]}"
run ingest-again ingest -q "${inputs[@]}"
for q in claims incidents timeline sources; do
  run "$q" "$q"
  run "$q-json" "$q" --json
  run "$q-csv" "$q" --csv
done
run claims-place claims --place Ganja
run claims-claimant claims --claimant ministry --json
run claims-outcome claims --outcome injured --csv
run claims-since claims --since 2020-10 --until 2020-10-15
run claims-limit claims --limit 7 --json
run incidents-place incidents --place Ganja
run incidents-place-id incidents --place "Ganja (AZ)" --json
run incidents-district incidents --place Tartar --json
run incidents-claimant incidents --claimant defence --json
run incidents-outcome incidents --outcome killed --since 2020-10-01 --csv
run incidents-limit incidents --limit 5
run timeline-place timeline --place Stepanakert --json
run timeline-claimant timeline --claimant ministry --until 2020-11 --json
run sources-place sources --place Ganja --json
for w in Ganja missile killed police 'Ganja AND missile'; do
  run "search-${w// /_}" search "$w"
  run "search-${w// /_}-json" search --json "$w"
done
for f in jsonl csv acled ucdp geojson; do
  run "export-$f" export --format "$f"
  run "export-$f-place" export --format "$f" --place Ganja
done
run relink relink -q
run claims-after-relink claims --json
run incidents-after-relink incidents --json
run timeline-after-relink timeline --json
run export-acled-after-relink export --format acled

# OLD's database opened read-write by NEW (a migration when their schema
# versions differ) answers as NEW's own database
cp "$work/old.db" "$work/mig.db"
for ext in -wal -shm; do [ -f "$work/old.db$ext" ] && cp "$work/old.db$ext" "$work/mig.db$ext"; done
TALLY_GAZETTEER=$gaz_new "$new" relink -q --db "$work/mig.db" > "$work/migrate.err" 2>&1 || { echo "DIFFERS  migrate ($(cat "$work/migrate.err"))"; fail=1; }
for q in claims incidents timeline sources; do
  TALLY_GAZETTEER=$gaz_new "$new" "$q" --json --db "$work/new.db" > "$work/migrated-$q.old" 2>&1; r1=$?
  TALLY_GAZETTEER=$gaz_new "$new" "$q" --json --db "$work/mig.db" > "$work/migrated-$q.new" 2>&1; r2=$?
  cmp_out "migrated-$q"
done

# the JSON API of tally serve
if command -v curl >/dev/null 2>&1 && "$new" serve --help >/dev/null 2>&1; then
  pids=()
  start() {  # start GAZ TALLY DB OUT: sets URL
    rm -f "$4"
    TALLY_GAZETTEER=$1 "$2" serve -q --db "$3" --port 0 > "$4" 2>&1 &
    pids+=($!)
    local i=0
    while ! grep -q '^serving ' "$4" 2>/dev/null; do
      i=$((i + 1)); [ $i -gt 100 ] && { echo "DIFFERS  serve (did not start: $(cat "$4"))"; fail=1; return 1; }
      sleep 0.1
    done
    URL=$(sed -n 's/^serving //p' "$4")
  }
  if start "$gaz_old" "$old" "$work/old.db" "$work/serve.old" && { url_old=$URL; start "$gaz_new" "$new" "$work/new.db" "$work/serve.new"; }; then
    url_new=$URL
    for p in api/overview api/timeline api/incidents api/incidents/1 api/incidents/2 api/incidents/7 \
             api/claims/1 api/claims/5 api/claims/40 api/documents/1 api/documents/3 "api/search?q=Ganja" \
             "api/search?q=missile" "api/search?q=%22unterminated" api/incidents/999999 api/nope \
             incidents/1 claims/999999; do
      name=serve-$(printf '%s' "$p" | tr -c 'A-Za-z0-9' '_')
      curl -s -w '\n%{http_code}\n' --max-time 10 "$url_old$p" > "$work/$name.old"; r1=$?
      curl -s -w '\n%{http_code}\n' --max-time 10 "$url_new$p" > "$work/$name.new"; r2=$?
      cmp_out "$name"
    done
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
fi

if [ $fail -eq 0 ]; then echo "same_ledger: identical"; else echo "same_ledger: DIFFERENT"; fi
exit $fail
