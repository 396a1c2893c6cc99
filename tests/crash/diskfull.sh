#!/usr/bin/env bash
# Disk full during `tally ingest` of ../shared/corpus/: exit 1 with a message
# naming the database, the batches committed before the failure intact and
# complete (tests/crash/crash_check.c against an uninterrupted ingest), the
# database still opening and answering `tally claims`, and a re-run with room
# again completing it into exactly the reference.
#
#   usage: diskfull.sh TALLY CRASH_CHECK   (exit 77: no ../shared/corpus)
#
# The full disk is a file-size limit (`ulimit -f`, SIGXFSZ ignored so that
# the write fails with EFBIG instead of killing tally), which needs no
# privilege: on a fresh database (the schema cannot be written) and in the
# middle of the corpus (1 MiB and 3 MiB). When unprivileged user and mount
# namespaces are available (`unshare -rm`), also a real full file system:
# a 1 MiB tmpfs (ENOSPC, SQLITE_FULL); otherwise that case is skipped with a
# note.
set -u
TALLY=$1
CHECK=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TALLY_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus
[ -d "$CORPUS" ] || { echo "skip: no $CORPUS"; exit 77; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; fail=1; }

"$TALLY" ingest -q --db "$T/ref.db" "$CORPUS/" 2> "$T/ref.err"
REF_STATUS=$?
case $REF_STATUS in 0|3) ;; *) echo "FAIL: reference ingest exit $REF_STATUS"; cat "$T/ref.err"; exit 1;; esac
REF_CLAIMS=$("$TALLY" claims --db "$T/ref.db" --json | wc -l)

# failed_run LABEL ERRFILE STATUS: exit 1 and one message naming the database.
failed_run() {
  [ "$3" = 1 ] && ok "$1: exit 1" || no "$1: exit $3, expected 1"
  if grep -q "^tally: .*\.db: database: " "$2" && [ "$(grep -c . "$2")" = 1 ]; then
    ok "$1: message: $(cat "$2")"
  else
    no "$1: expected one 'tally: DB: database: ...' line on stderr, got:"; cat "$2"
  fi
  grep -q Sanitizer "$2" && no "$1: sanitizer report"
}

# usable LABEL DB: what the failure left checks (on a copy: the checker
# recovers the WAL), and `tally claims` answers with every stored claim.
usable() {
  rm -f "$T/chk.db" "$T/chk.db-wal" "$T/chk.db-shm"
  cp "$2" "$T/chk.db"
  [ -f "$2-wal" ] && cp "$2-wal" "$T/chk.db-wal"
  if out=$("$CHECK" check "$T/chk.db" "$T/ref.db" 2>&1); then ok "$1: $out"; else no "$1: check"; echo "$out"; fi
  n=$(echo "$out" | sed -n 's/^ok: [0-9]* documents, \([0-9]*\) claims$/\1/p')
  got=$("$TALLY" claims --db "$2" --json 2> "$T/claims.err" | wc -l)
  st=${PIPESTATUS[0]}
  if [ "$st" = 0 ] && [ "$got" = "${n:-x}" ]; then ok "$1: tally claims answers ($got claims)"
  else no "$1: tally claims: exit $st, $got claims, expected ${n:-?}"; cat "$T/claims.err"; fi
}

# complete LABEL DB: a re-run with room completes into the reference.
complete() {
  "$TALLY" ingest -q --db "$2" "$CORPUS/" 2> "$T/err"
  st=$?
  [ $st = "$REF_STATUS" ] || { no "$1: re-run exit $st"; cat "$T/err"; }
  if out=$("$CHECK" same "$2" "$T/ref.db" 2>&1); then ok "$1: re-run completes, same as the reference ($out)"
  else no "$1: re-run differs from the reference"; echo "$out"; fi
}

# limited KB DB: ingest under a file-size limit of KB KiB.
limited() {
  ( trap '' XFSZ; ulimit -f "$1" && exec "$TALLY" ingest -q --batch 10 --db "$2" "$CORPUS/" ) 2> "$T/err"
}

# 1. the limit hits while the schema is created
DB=$T/a.db
limited 16 "$DB"
failed_run "16 KiB, fresh database" "$T/err" $?
complete "16 KiB, fresh database" "$DB"

# 2. the limit hits in the middle of the corpus
for kb in 1024 3072; do
  DB=$T/b$kb.db
  limited $kb "$DB"
  failed_run "$kb KiB" "$T/err" $?
  usable "$kb KiB" "$DB"
  complete "$kb KiB" "$DB"
done

# 3. a full file system: a 1 MiB tmpfs in a user and mount namespace
mkdir -p "$T/mnt" "$T/full"
if unshare -rm true 2>/dev/null; then
  unshare -rm bash -c '
    mount -t tmpfs -o size=1m tmpfs "$1/mnt" || exit 90
    "$2" ingest -q --batch 10 --db "$1/mnt/full.db" "$3/" 2> "$1/err"
    echo $? > "$1/full/status"
    "$2" claims --db "$1/mnt/full.db" --json 2> "$1/full/claims.err" | wc -l > "$1/full/claims"
    echo ${PIPESTATUS[0]} > "$1/full/claims.status"
    cp "$1/mnt/full.db"* "$1/full/"' sh "$T" "$TALLY" "$CORPUS"
  st=$?
  if [ $st = 90 ]; then
    echo "note: no tmpfs in a user namespace here; the full file system case is skipped"
  else
    failed_run "1 MiB tmpfs" "$T/err" "$(cat "$T/full/status")"
    grep -qi "full" "$T/err" && ok "1 MiB tmpfs: the message says full" || no "1 MiB tmpfs: message does not say full"
    [ "$(cat "$T/full/claims.status")" = 0 ] && [ "$(cat "$T/full/claims")" -gt 0 ] \
      && ok "1 MiB tmpfs: tally claims answers on the full file system ($(cat "$T/full/claims") claims)" \
      || { no "1 MiB tmpfs: tally claims on the full file system"; cat "$T/full/claims.err"; }
    usable "1 MiB tmpfs" "$T/full/full.db"
    complete "1 MiB tmpfs" "$T/full/full.db"
  fi
else
  echo "note: unshare -rm is not permitted here; the full file system case is skipped"
fi
echo "reference: $REF_CLAIMS claims"
exit $fail
