#!/usr/bin/env bash
# The team setup of docs/scale.md, as written there: a writer role that
# ingests (and creates the schema), a reader role that queries and serves
# and cannot write.
#
#   bash tests/pg/roles.sh build/tally
. "$(dirname "$0")/lib.sh"
seeds=$shared/seeds/seeds.jsonl
[ -f "$seeds" ] || { echo "skip: no seeds"; exit 77; }

psql "$TALLY_TEST_PG" -q -v ON_ERROR_STOP=1 <<'SQL' || { echo "FAIL: the roles of docs/scale.md"; exit 1; }
CREATE ROLE tally_writer LOGIN;
CREATE ROLE tally_reader LOGIN;
CREATE DATABASE team OWNER tally_writer;
\c team
GRANT CONNECT ON DATABASE team TO tally_reader;
GRANT USAGE ON SCHEMA public TO tally_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE tally_writer IN SCHEMA public GRANT SELECT ON TABLES TO tally_reader;
SQL
writer="postgresql:///team?host=$PG_DIR&user=tally_writer"
reader="postgresql:///team?host=$PG_DIR&user=tally_reader"

"$tally" ingest -q --db "$writer" "$seeds" 2> "$work/w.err" && ok "the writer ingests (and makes the schema)" || no "writer ingest: $(cat "$work/w.err")"
n=$("$tally" claims --csv --db "$reader" 2> "$work/r.err" | wc -l)
[ "$n" -gt 1 ] && ok "the reader reads $((n - 1)) claims" || no "reader claims: $(cat "$work/r.err")"
if "$tally" relink -q --db "$reader" 2> "$work/rw.err"; then no "the reader could relink"
elif grep -q "permission denied" "$work/rw.err"; then ok "the reader cannot write: $(head -c 120 "$work/rw.err")"
else no "the reader's relink failed unclearly: $(cat "$work/rw.err")"; fi
"$tally" review 1 --confirm --db "$writer" 2> "$work/rv.err" && ok "the writer reviews" || no "writer review: $(cat "$work/rv.err")"
if command -v curl >/dev/null 2>&1; then
  "$tally" serve -q --db "$reader" --port 0 > "$work/serve.out" 2>&1 &
  pids+=($!)
  i=0
  while ! grep -q '^serving ' "$work/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  url=$(sed -n 's/^serving //p' "$work/serve.out")
  code=$(curl -s -o "$work/overview.json" -w '%{http_code}' --max-time 10 "${url}api/overview")
  [ "$code" = 200 ] && grep -q '"claims"' "$work/overview.json" && ok "tally serve answers as the reader" || no "serve as the reader: $code $(cat "$work/serve.out")"
fi
[ $fail -eq 0 ] && echo "roles: ok" || echo "roles: FAILED"
exit $fail
