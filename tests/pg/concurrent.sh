#!/usr/bin/env bash
# Several writers into one PostgreSQL ledger (issue 19): 4 `tally ingest`
# processes at once over disjoint and overlapping slices of the seeds and
# ../shared/corpus give the same documents, claims, incidents and series
# as one process over all of it; a fifth writer killed with SIGKILL in the
# middle of its run loses nothing that was committed (by it or the others),
# and leaves nothing half-written.
#
#   bash tests/pg/concurrent.sh build/tally
#
# The ledgers are compared by content, not by row ids: each claim by its
# stable key and fields, each incident and series by the keys of its claims
# and its figures (ids depend on which writer stored first). Skipped (77)
# when PostgreSQL or the inputs are absent.
. "$(dirname "$0")/lib.sh"
one=$(pg_createdb one) || exit 1
many=$(pg_createdb many) || exit 1

# the input, one document a line, and 4 slices: 0 and 1 disjoint, 2
# overlapping 1 and 3, 3 overlapping the start again
cat "${inputs[@]}" > "$work/all.jsonl"
n=$(wc -l < "$work/all.jsonl")
q=$(( (n + 3) / 4 ))
sed -n "1,${q}p" "$work/all.jsonl" > "$work/s0.jsonl"
sed -n "$((q + 1)),$((2 * q))p" "$work/all.jsonl" > "$work/s1.jsonl"
sed -n "$((q + q / 2)),$((3 * q + q / 2))p" "$work/all.jsonl" > "$work/s2.jsonl"
{ sed -n "$((3 * q)),\$p" "$work/all.jsonl"; sed -n "1,$((q / 3))p" "$work/all.jsonl"; } > "$work/s3.jsonl"
echo "$n documents, slices of $(wc -l < "$work/s0.jsonl"), $(wc -l < "$work/s1.jsonl"), $(wc -l < "$work/s2.jsonl"), $(wc -l < "$work/s3.jsonl") lines"

"$tally" ingest -q --db "$one" "$work/all.jsonl" 2> "$work/one.err" || { no "one writer: $(cat "$work/one.err")"; exit 1; }

# a writer that commits every document, killed in the middle of its run
"$tally" ingest -q --batch 1 --db "$many" "$work/all.jsonl" 2> "$work/killed.err" &
victim=$!
for k in 0 1 2 3; do
  "$tally" ingest -q --batch 20 --db "$many" "$work/s$k.jsonl" 2> "$work/w$k.err" &
  pids+=($!)
done
i=0
while [ "$(psql "$many" -Atc 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)" -lt 20 ] && [ $i -lt 200 ]; do
  sleep 0.05; i=$((i + 1))
done
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
psql "$many" -Atc 'SELECT content_hash FROM documents ORDER BY 1' > "$work/committed-at-kill"
# the report reads while the others write
if command -v curl >/dev/null 2>&1; then
  "$tally" serve -q --db "$many" --port 0 > "$work/serve.out" 2>&1 &
  pids+=($!)
  i=0
  while ! grep -q '^serving ' "$work/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  url=$(sed -n 's/^serving //p' "$work/serve.out")
  codes=
  for i in 1 2 3 4 5; do codes="$codes $(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${url}api/overview")"; done
  [ "$codes" = " 200 200 200 200 200" ] && ok "tally serve answers while they write ($(psql "$many" -Atc 'SELECT count(*) FROM documents') documents by then)" \
    || no "tally serve during the writes:$codes $(cat "$work/serve.out")"
fi
for k in 0 1 2 3; do
  wait "${pids[$k]}"; rc=$?
  [ $rc -eq 0 ] || no "writer $k exited $rc: $(cat "$work/w$k.err")"
done
[ -s "$work/committed-at-kill" ] && ok "the killed writer and the others had committed $(wc -l < "$work/committed-at-kill") documents at the kill" \
  || no "nothing committed before the kill"

# the ledgers by content. What depends on which writer stored first is
# left out: of two documents with the same text the first one's id is
# kept, of the same claim in several documents the first stored is the
# original (the others its copies; and which claims count as copies, as
# the first document of an incident, can change with that order): a claim
# is named by the smallest key of its copies' group, an incident by its
# place, days and figures, a document's series by its text's hash. The
# replay below checks everything else, byte for byte.
dump() {  # dump DB NAME
  local g="WITH g AS (SELECT coalesce(same_as, id) AS root, min(claim_key) AS gk FROM claims GROUP BY 1),
    k AS (SELECT c.id, g.gk FROM claims c JOIN g ON g.root = coalesce(c.same_as, c.id))"
  psql "$1" -At > "$work/$2.docs" -c "SELECT content_hash, n_claims, bytes FROM documents ORDER BY 1"
  psql "$1" -At > "$work/$2.claims" -c "SELECT c.claim_key, c.outcome, c.count_low, c.count_high, c.victims,
      c.scope, c.place, c.claimant, c.first_day, c.last_day, c.review_status, c.sentence_key, c.figure_key,
      a.name, a.alignment, p.name, p.kind, p.country
    FROM claims c LEFT JOIN actors a ON a.id = c.claimant_id LEFT JOIN places p ON p.id = c.place_id ORDER BY 1"
  psql "$1" -At > "$work/$2.incidents" -c "SELECT i.kind, p.name, p.country, i.first_day, i.last_day,
      (SELECT string_agg(b.outcome || '/' || b.victims || ':' || coalesce(b.low::text, '-') || ',' ||
        coalesce(b.best::text, '-') || ',' || coalesce(b.high::text, '-') || ',' || b.high_open, ' '
        ORDER BY b.outcome, b.victims) FROM incident_bounds b WHERE b.incident_id = i.id)
    FROM incidents i JOIN places p ON p.id = i.place_id ORDER BY 1, 2, 3, 4, 5, 6"
  psql "$1" -At > "$work/$2.series" -c "$g SELECT (SELECT string_agg(k.gk || '@' || coalesce(sp.as_of, '-') ||
        '=' || coalesce(sp.value::text, '-') || '/' || sp.down || sp.differs, ' ' ORDER BY k.gk)
        FROM series_points sp JOIN k ON k.id = sp.claim_id WHERE sp.series_id = s.id),
      s.claimant, s.outcome, s.victims, s.country, s.period_start, s.background,
      regexp_replace(s.frame, '[(]document [0-9]+[)]', '(document)'), d.content_hash, s.n_points
    FROM series s LEFT JOIN documents d ON d.id = s.document_id ORDER BY 1"
}
dump "$one" one
dump "$many" many
for t in docs claims incidents series; do
  if cmp -s "$work/one.$t" "$work/many.$t"; then ok "the same $t as one writer over all in input order ($(wc -l < "$work/one.$t"))"
  else no "$t differ from one writer's: $(diff "$work/one.$t" "$work/many.$t" | head -4)"; fi
done
if comm -23 "$work/committed-at-kill" <(cut -d'|' -f1 "$work/many.docs") | grep -q .; then
  no "documents committed before the kill are missing"
else
  ok "every document committed before the kill is kept"
fi
# nothing half-written: every stored document has all its claims
bad=$(psql "$many" -Atc "SELECT count(*) FROM documents d WHERE d.n_claims <> (SELECT count(*) FROM claims c WHERE c.document_id = d.id)")
[ "$bad" = 0 ] && ok "no document stored without its claims" || no "$bad documents without all their claims"
# the writers' commits replayed by one writer, in the order they stored
# the documents, give the same ledger byte for byte (ids included):
# concurrency changed nothing but that order
replay=$(pg_createdb replay) || exit 1
psql "$many" -At -c "SELECT json_build_object('id', doc, 'title', title, 'source', source, 'url', url,
  'published', published, 'text', text) FROM documents ORDER BY id" > "$work/order.jsonl"
"$tally" ingest -q --db "$replay" "$work/order.jsonl" 2> "$work/replay.err" || no "replay: $(cat "$work/replay.err")"
for c in claims incidents timeline sources "export --format jsonl" "export --format acled"; do
  keep=cat; [ "$c" = "export --format acled" ] && keep=untimed # (the replay ingested later)
  # shellcheck disable=SC2086
  "$tally" $c --csv --db "$many" 2>&1 | $keep > "$work/many.out"
  # shellcheck disable=SC2086
  "$tally" $c --csv --db "$replay" 2>&1 | $keep > "$work/replay.out"
  cmp -s "$work/many.out" "$work/replay.out" && ok "tally $c: the same $(wc -l < "$work/many.out") lines as one writer in the commit order" \
    || no "tally $c differs from the replay: $(diff "$work/many.out" "$work/replay.out" | head -3)"
done
[ $fail -eq 0 ] && echo "concurrent: ok" || echo "concurrent: FAILED"
exit $fail
