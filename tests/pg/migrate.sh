#!/usr/bin/env bash
# A PostgreSQL ledger of schema version 3 is migrated to 4 as SQLite's is:
# a ledger made now is taken back to version 3 (the columns, tables and
# views that version 4 added dropped, its version set to 3), on both
# backends; a read-only open refuses it saying how to migrate; a read-write
# open (tally relink) migrates it; then both migrated ledgers answer every
# question alike (claims with place_precision from place_kind and the
# other new fields null, the codebook exports), the countries are filled,
# and new documents store the new fields.
#
#   bash tests/pg/migrate.sh build/tally
. "$(dirname "$0")/lib.sh"
seeds=$shared/seeds/seeds.jsonl
[ -f "$seeds" ] || { echo "skip: no seeds"; exit 77; }
pg=$TALLY_TEST_PG
sq=$work/ledger.db
q() { psql "$pg" -Atc "$1"; }

# the seeds before the migration, some of the corpus after it
cp "$seeds" "$work/first.jsonl"
if [ ${#inputs[@]} -gt 1 ]; then head -n 30 "${inputs[1]}" > "$work/rest.jsonl"; else tail -n 2 "$seeds" > "$work/rest.jsonl"; fi
"$tally" ingest -q --db "$pg" "$work/first.jsonl" || { no "ingest"; exit 1; }
"$tally" ingest -q --db "$sq" "$work/first.jsonl" || { no "ingest (SQLite)"; exit 1; }
views="claims_v, incident_claims_v, incident_bounds_v, incident_overlaps, series_disagreements, timeline_v,
  sources_v, export_acled, export_ucdp, event_totals, event_deaths"
psql "$pg" -q -v ON_ERROR_STOP=1 <<SQL || { no "back to version 3"; exit 1; }
DROP VIEW $views;
ALTER TABLE claims DROP COLUMN victims_side, DROP COLUMN date_basis, DROP COLUMN place_precision,
  DROP COLUMN reported_by, DROP COLUMN part_of;
ALTER TABLE documents DROP COLUMN lang;
DROP TABLE countries, acled_weapons;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
DELETE FROM meta WHERE key IN ('views_sha256', 'countries_sha256');
SQL
both=0
if command -v sqlite3 >/dev/null 2>&1; then
  { for v in ${views//,/ }; do echo "DROP VIEW $v;"; done
    for c in victims_side date_basis place_precision reported_by part_of; do echo "ALTER TABLE claims DROP COLUMN $c;"; done
    echo "ALTER TABLE documents DROP COLUMN lang;"
    echo "DROP TABLE countries; DROP TABLE acled_weapons; PRAGMA user_version = 3;"
    echo "UPDATE meta SET value = '3' WHERE key = 'schema_version';"
    echo "DELETE FROM meta WHERE key IN ('views_sha256', 'countries_sha256');"; } | sqlite3 "$sq" && both=1 || no "SQLite back to version 3"
fi
[ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'claims' AND column_name = 'part_of'")" = 0 ] \
  && ok "a ledger of version 3" || no "still has claims.part_of"

if "$tally" claims --db "$pg" > /dev/null 2> "$work/ro.err"; then no "a read-only open used a version-3 ledger"
elif grep -q "open it read-write once" "$work/ro.err"; then ok "read-only: $(head -c 150 "$work/ro.err")"
else no "read-only refusal unclear: $(cat "$work/ro.err")"; fi

"$tally" relink -q --db "$pg" 2> "$work/m.err" && ok "tally relink migrates it" || no "migration: $(cat "$work/m.err")"
[ $both = 1 ] && { "$tally" relink -q --db "$sq" 2> "$work/ms.err" || no "SQLite migration: $(cat "$work/ms.err")"; }
[ "$(q "SELECT value FROM meta WHERE key = 'schema_version'")" = 4 ] && ok "schema version 4" || no "schema version $(q "SELECT value FROM meta WHERE key = 'schema_version'")"
n=$(q "SELECT count(*) FROM claims WHERE place IS NOT NULL AND place_precision IS DISTINCT FROM place_kind")
m=$(q "SELECT count(*) FROM claims WHERE place_precision IS NOT NULL")
[ "$n" = 0 ] && [ "$m" -gt 0 ] && ok "place_precision is place_kind ($m claims)" || no "place_precision: $n differ, $m set"
[ "$(q "SELECT count(*) FROM claims WHERE date_basis IS NOT NULL OR part_of IS NOT NULL")" = 0 ] \
  && ok "the other new fields are null for the claims stored before" || no "new fields set by the migration"
k=$(q "SELECT count(*) FROM countries WHERE iso3 IS NOT NULL AND gw_code IS NOT NULL")
[ "$k" -gt 150 ] && ok "the countries filled ($k with ISO and G-W codes)" || no "countries: $k"

if [ $both = 1 ]; then
  for c in "claims --json" "incidents --csv" "export --format jsonl" "export --format ucdp" "export --format csv"; do
    # shellcheck disable=SC2086
    "$tally" $c --db "$sq" > "$work/a.out" 2>&1; "$tally" $c --db "$pg" > "$work/b.out" 2>&1
    cmp -s "$work/a.out" "$work/b.out" && ok "migrated on both: tally $c the same ($(wc -l < "$work/b.out") lines)" \
      || no "migrated: tally $c differs: $(diff "$work/a.out" "$work/b.out" | head -3 | cut -c1-300)"
  done
  "$tally" export --format acled --db "$sq" 2>&1 | untimed > "$work/a.out"
  "$tally" export --format acled --db "$pg" 2>&1 | untimed > "$work/b.out"
  cmp -s "$work/a.out" "$work/b.out" && ok "migrated on both: the ACLED export the same ($(wc -l < "$work/b.out") lines)" \
    || no "migrated: ACLED differs: $(diff "$work/a.out" "$work/b.out" | head -3 | cut -c1-300)"
fi

"$tally" ingest -q --db "$pg" "$work/rest.jsonl" 2> "$work/i.err" || no "ingest after the migration: $(cat "$work/i.err")"
d=$(q "SELECT count(*) FROM claims WHERE date_basis IS NOT NULL")
[ "$d" -gt 0 ] && ok "claims stored after it have the new fields ($d with date_basis)" || no "no date_basis after the migration"
[ $fail -eq 0 ] && echo "migrate: ok" || echo "migrate: FAILED"
exit $fail
