#!/usr/bin/env bash
# The two backends give the same ledger: one tally binary ingests the same
# inputs (../shared seeds and corpus) into an SQLite file and into a
# throw-away PostgreSQL server (cluster.sh), then both are asked the same
# questions, as tests/ledger/same_ledger.sh asks two binaries: claims,
# incidents, timeline, sources (table, --json, --csv, filters), every
# export, relink, a review, and the JSON API of `tally serve`; each answer
# must be byte for byte the same. Full-text search must find the same
# documents (its snippets and ranking are each engine's own).
#
#   bash tests/pg/same_backends.sh build/tally
#
# Skipped (77) when PostgreSQL or the inputs are absent.
. "$(dirname "$0")/lib.sh"
sq=$work/ledger.db
pg=$TALLY_TEST_PG

cmp_out() {
  local name=$1
  if [ "$r1" -ne "$r2" ] || ! cmp -s "$work/$name.sqlite" "$work/$name.pg"; then
    echo "DIFFERS  $name (exit $r1 vs $r2)"; diff "$work/$name.sqlite" "$work/$name.pg" | head -5; fail=1
  else
    echo "same     $name ($(wc -l < "$work/$name.pg") lines)"
  fi
}
# run NAME ARGS...: `tally ARGS --db DB` on each backend
run() {
  local name=$1; shift
  "$tally" "$@" --db "$sq" > "$work/$name.sqlite" 2> "$work/$name.sqlite.err"; r1=$?
  "$tally" "$@" --db "$pg" > "$work/$name.pg" 2> "$work/$name.pg.err"; r2=$?
  cmp_out "$name"
}
# through FILTER NAME ARGS...: the same, each output through FILTER first:
# untimed (lib.sh) for an ACLED export, reviewed for the reviews (the times
# each backend ingested or reviewed: a second apart at times)
through() {
  local filter=$1 name=$2; shift 2
  "$tally" "$@" --db "$sq" 2> "$work/$name.sqlite.err" | $filter > "$work/$name.sqlite"; r1=${PIPESTATUS[0]}
  "$tally" "$@" --db "$pg" 2> "$work/$name.pg.err" | $filter > "$work/$name.pg"; r2=${PIPESTATUS[0]}
  cmp_out "$name"
}
acled() { through untimed "$@"; }
reviewed() { sed -E 's/,[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z(\r?)$/,T\1/'; }  # CSV rows end in CRLF
# docs NAME ARGS...: the same, comparing the "doc" values of the --json rows, sorted (search)
docs() {
  local name=$1; shift
  "$tally" "$@" --json --db "$sq" 2> "$work/$name.sqlite.err" | grep -o '"doc":"[^"]*"' | sort > "$work/$name.sqlite"; r1=${PIPESTATUS[0]}
  "$tally" "$@" --json --db "$pg" 2> "$work/$name.pg.err" | grep -o '"doc":"[^"]*"' | sort > "$work/$name.pg"; r2=${PIPESTATUS[0]}
  cmp_out "$name"
}

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
for n in 1 7 40; do
  run "incidents-limit-$n-outcome" incidents --limit "$n" --outcome injured --csv
  run "incidents-limit-$n-since" incidents --limit "$n" --since 2020-10-01 --until 2020-12 --json
  run "incidents-limit-$n-claimant" incidents --limit "$n" --claimant police --csv
  run "incidents-limit-$n-place" incidents --limit "$n" --place Ganja --json
done
run timeline-place timeline --place Stepanakert --json
run timeline-claimant timeline --claimant ministry --until 2020-11 --json
run sources-place sources --place Ganja --json
for w in Ganja missile killed police 'Ganja AND missile' 'killed OR wounded'; do
  docs "search-${w// /_}" search "$w"
done
for f in jsonl csv ucdp geojson; do
  run "export-$f" export --format "$f"
  run "export-$f-place" export --format "$f" --place Ganja
done
acled export-acled export --format acled
acled export-acled-place export --format acled --place Ganja
run export-ucdp-since export --format ucdp --since 2020-10 --until 2020-10-20
run export-csv-claimant export --format csv --claimant ministry
acled export-acled-killed export --format acled --outcome killed --since 2020-10 --until 2020-10-20
run review-confirm review 3 --confirm --by tester
run review-set review 5 --set count_low=4 --note "recount" --by tester
run review-reject review 8 --reject
through reviewed reviews review --list --csv
run claims-after-review claims --csv
run incidents-after-review incidents --csv
run relink relink -q
run claims-after-relink claims --json
run incidents-after-relink incidents --json
run timeline-after-relink timeline --json
acled export-acled-after-relink export --format acled
# a search text that is no FTS5 query: SQLite refuses it, PostgreSQL finds what it can
"$tally" search "Amnesty's" --db "$pg" > "$work/apostrophe.pg" 2>&1 && echo "ok       search Amnesty's on PostgreSQL" \
  || { echo "FAIL     search Amnesty's: $(cat "$work/apostrophe.pg")"; fail=1; }

# the JSON API of tally serve on both
if command -v curl >/dev/null 2>&1; then
  start() {  # start DB OUT: sets URL
    "$tally" serve -q --db "$1" --port 0 > "$2" 2>&1 &
    pids+=($!)
    local i=0
    while ! grep -q '^serving ' "$2" 2>/dev/null; do
      i=$((i + 1)); [ $i -gt 100 ] && { echo "DIFFERS  serve (did not start: $(cat "$2"))"; fail=1; return 1; }
      sleep 0.1
    done
    URL=$(sed -n 's/^serving //p' "$2")
  }
  if start "$sq" "$work/serve.sqlite.out" && { u1=$URL; start "$pg" "$work/serve.pg.out"; }; then
    u2=$URL
    for p in api/overview api/timeline api/incidents api/incidents/1 api/incidents/2 api/incidents/7 \
             api/claims/1 api/claims/5 api/claims/40 api/documents/1 api/documents/3 \
             api/incidents/999999 api/nope incidents/1 claims/3 documents/2 claims/999999; do
      name=serve-$(printf '%s' "$p" | tr -c 'A-Za-z0-9' '_')
      curl -s -w '\n%{http_code}\n' --max-time 10 "$u1$p" > "$work/$name.sqlite"; r1=$?
      curl -s -w '\n%{http_code}\n' --max-time 10 "$u2$p" > "$work/$name.pg"; r2=$?
      cmp_out "$name"
    done
    code=$(curl -s -o "$work/search.json" -w '%{http_code}' --max-time 10 "${u2}api/search?q=Ganja")
    if [ "$code" = 200 ] && grep -q 'Ganja' "$work/search.json"; then echo "ok       serve api/search on PostgreSQL"
    else echo "FAIL     serve api/search on PostgreSQL ($code)"; fail=1; fi
  fi
fi

if [ $fail -eq 0 ]; then echo "same_backends: identical"; else echo "same_backends: DIFFERENT"; fi
exit $fail
