#!/usr/bin/env bash
# Writers that wait: 4 `tally ingest` at once over overlapping slices of
# ../shared/corpus (every document in two slices or more), in short batches,
# and `tally relink` three times while they run, all into one new SQLite
# ledger. Each writer waits for the others (the busy handler, --busy-timeout)
# and holds the write lock only to store a batch (extraction is outside the
# transaction). Checks: every command exits 0; every document is stored once
# (the count a serial ingest of the whole corpus gives, no content hash
# twice), with as many claims; PRAGMA integrity_check is ok; a writer that
# gives up says who holds the lock and how long it waited.
#
#   bash tests/ledger/concurrent.sh path/to/tally
#
# The ledger is made first by one ingest of a small slice, before the
# concurrent writers start (two creators of a new database at once race on
# the schema until schema creation is idempotent: helper `ledger`'s work).
set -u
tally=${1:?usage: concurrent.sh path/to/tally}
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${TALLY_SHARED:-$src/../shared}
corpus=$shared/corpus
if ! ls "$corpus"/*.jsonl >/dev/null 2>&1; then echo "skip: no corpus in $corpus"; exit 77; fi
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-concurrent.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# the slices: every line of the corpus in at least two of them
python3 - "$tmp" "$corpus"/*.jsonl <<'EOF'
import sys
tmp, files = sys.argv[1], sys.argv[2:]
lines = [l for f in files for l in open(f, 'rb') if l.strip()]
n = len(lines)
slices = [lines[: n // 2], lines[n // 3: 5 * n // 6], lines[2 * n // 3:] + lines[: n // 6],
          lines[::-1]]
for i, s in enumerate(slices):
    with open('%s/slice%d.jsonl' % (tmp, i), 'wb') as f: f.writelines(s)
with open(tmp + '/first.jsonl', 'wb') as f: f.writelines(lines[:5])
with open(tmp + '/all.jsonl', 'wb') as f: f.writelines(lines)
EOF

# the reference: the whole corpus, one serial ingest
"$tally" ingest -q --db "$tmp/ref.db" "$tmp/all.jsonl" 2>"$tmp/ref.err" || { bad "the serial ingest failed: $(head -3 "$tmp/ref.err")"; exit 1; }

db=$tmp/shared.db
"$tally" ingest -q --db "$db" "$tmp/first.jsonl" 2>"$tmp/first.err" || bad "the first ingest failed: $(head -3 "$tmp/first.err")"
pids=()
for i in 0 1 2 3; do
    timeout 300 "$tally" ingest -q --batch 8 --busy-timeout 120000 --db "$db" "$tmp/slice$i.jsonl" \
        >"$tmp/ingest$i.out" 2>"$tmp/ingest$i.err" &
    pids+=($!)
done
( for k in 1 2 3; do
      sleep 0.$((3 * k))
      timeout 300 "$tally" relink --busy-timeout 120000 --db "$db" >>"$tmp/relink.out" 2>>"$tmp/relink.err" || exit 1
  done ) &
relink=$!
for i in 0 1 2 3; do
    if wait "${pids[$i]}"; then ok "ingest $i exits 0"
    else bad "ingest $i exits $? : $(head -3 "$tmp/ingest$i.err")"; fi
done
if wait "$relink"; then ok "relink x 3 during the ingests: exit 0"
else bad "relink: $(head -3 "$tmp/relink.err")"; fi

python3 - "$db" "$tmp/ref.db" <<'EOF' && ok "every document stored once, with its claims; integrity_check ok" || bad "the shared ledger"
import sqlite3, sys
db, ref = (sqlite3.connect(p) for p in sys.argv[1:3])
bad = 0
def one(c, q): return c.execute(q).fetchone()[0]
ic = one(db, 'PRAGMA integrity_check')
if ic != 'ok': print('  integrity_check: %s' % ic); bad += 1
nd, rd = one(db, 'SELECT count(*) FROM documents'), one(ref, 'SELECT count(*) FROM documents')
if nd != rd: print('  %d documents, the serial ingest %d' % (nd, rd)); bad += 1
twice = one(db, 'SELECT count(*) FROM (SELECT content_hash FROM documents GROUP BY content_hash HAVING count(*) > 1)')
if twice: print('  %d documents stored twice' % twice); bad += 1
h1 = set(r[0] for r in db.execute('SELECT content_hash FROM documents'))
h2 = set(r[0] for r in ref.execute('SELECT content_hash FROM documents'))
if h1 != h2: print('  other documents than the serial ingest: %d missing, %d extra' % (len(h2 - h1), len(h1 - h2))); bad += 1
nc, rc = one(db, 'SELECT count(*) FROM claims'), one(ref, 'SELECT count(*) FROM claims')
if nc != rc: print('  %d claims, the serial ingest %d' % (nc, rc)); bad += 1
orphans = one(db, 'SELECT count(*) FROM claims WHERE document_id NOT IN (SELECT id FROM documents)')
if orphans: print('  %d claims of no document' % orphans); bad += 1
print('  %d documents, %d claims' % (nd, nc))
sys.exit(1 if bad else 0)
EOF

# a writer that gives up says who holds the lock and how long it waited
python3 - "$db" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN IMMEDIATE')
open(sys.argv[1] + '.held', 'w').close()
time.sleep(4)
c.execute('ROLLBACK')
EOF
holder=$!
for _ in $(seq 100); do [ -e "$db.held" ] && break; sleep 0.05; done
"$tally" relink --busy-timeout 300 --db "$db" >/dev/null 2>"$tmp/gaveup.err"
rc=$?
wait "$holder"
[ "$rc" -eq 1 ] && ok "a writer past its --busy-timeout: exit 1" || bad "a writer past its --busy-timeout: exit $rc"
if grep -Eq "database is locked by another writer \(pid $holder, python3[^)]*\) for [0-9]+ ms" "$tmp/gaveup.err"; then
    ok "it names the holder and the time waited: $(head -1 "$tmp/gaveup.err")"
else bad "the message: $(head -2 "$tmp/gaveup.err")"; fi
[ "$fails" -eq 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" -eq 0 ]
