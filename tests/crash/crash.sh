#!/usr/bin/env bash
# Crash safety of `tally ingest`: kill it with SIGKILL at random moments while
# it ingests ../shared/corpus/ and check what it left (tests/crash/crash_check.c):
# integrity_check ok, the stored documents the first ones of an uninterrupted
# ingest (the reference) with all their claims, nothing stored twice; and that
# a re-run completes the rest into exactly the reference.
#
#   usage: crash.sh TALLY CRASH_CHECK   (exit 77: no ../shared/corpus)
#   TALLY_SHARED         the shared directory (default: the repo's ../shared)
#   TALLY_CRASH_SEED     seed of the delays and batch sizes (default 20251122)
#   TALLY_CRASH_KILLS    kills that must land on a running ingest (default 24)
#   TALLY_CRASH_KEEP=1   keep the temp directory
#
# Rounds go in groups of four: a fresh database is killed, then three re-runs
# over what the previous kill left are killed in turn; each group ends with a
# re-run to completion compared with the reference row for row (ids too),
# and a group ends early when the database is complete. The delay is half the
# start-up time (an ingest of an empty file) plus a uniform draw up to 1.1 x
# the time the reference ingest took for the documents not yet stored, so the
# test scales with the build (ASan is slower); the draws and the batch size
# (1, 2, 3 or 5, so commits are frequent) come from bash's RANDOM seeded with
# TALLY_CRASH_SEED: the same sequence on every run, the moments scaled to the
# machine. A kill that comes after the run ended does not count; the rounds
# are bounded (4 x the kills). About 30 s (ASan: 80 s).
set -u
TALLY=$1
CHECK=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TALLY_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus
[ -d "$CORPUS" ] || { echo "skip: no $CORPUS"; exit 77; }
SEED=${TALLY_CRASH_SEED:-20251122}
KILLS=${TALLY_CRASH_KILLS:-24}
RANDOM=$SEED

T=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
  wait 2>/dev/null
  if [ "${TALLY_CRASH_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT INT TERM
fail=0
no() { echo "FAIL $1"; fail=1; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The reference: one uninterrupted ingest (default batch).
t0=$(ms)
"$TALLY" ingest -q --db "$T/ref.db" "$CORPUS/" 2> "$T/ref.err"
REF_STATUS=$?
REF_MS=$(( $(ms) - t0 ))
case $REF_STATUS in 0|3) ;; *) echo "FAIL: reference ingest exit $REF_STATUS"; cat "$T/ref.err"; exit 1;; esac
"$CHECK" same "$T/ref.db" "$T/ref.db" > "$T/ref.out" || { echo "FAIL: reference does not check"; exit 1; }
echo "reference: $(cat "$T/ref.out") in $REF_MS ms (exit $REF_STATUS), seed $SEED"
REF_DOCS=$(sed -n 's/^ok: \([0-9]*\) documents.*/\1/p' "$T/ref.out")
[ "${REF_DOCS:-0}" -gt 0 ] || { echo "FAIL: the reference stored no document"; exit 1; }
[ "$REF_MS" -lt 100 ] && REF_MS=100
MAX_DELAY=$(( REF_MS * 11 / 10 ))
# Start-up (lexicons, opening the database): a kill before it stores nothing,
# so the delays start at half of it. Measured on an empty input.
: > "$T/empty.txt"
t0=$(ms)
"$TALLY" ingest -q --db "$T/startup.db" "$T/empty.txt" 2>/dev/null
STARTUP_MS=$(( $(ms) - t0 ))
echo "start-up: $STARTUP_MS ms"

DB=$T/t.db
# check_copy LABEL: the checker runs on a copy (it recovers the WAL), so the
# next ingest opens the database exactly as the kill left it.
check_copy() {
  rm -f "$T/chk.db" "$T/chk.db-wal" "$T/chk.db-shm"
  [ -f "$DB" ] || { echo "$1: no database yet"; return; }
  cp "$DB" "$T/chk.db"
  [ -f "$DB-wal" ] && cp "$DB-wal" "$T/chk.db-wal"
  if out=$("$CHECK" check "$T/chk.db" "$T/ref.db" 2>&1); then
    echo "$1: $out"
    stored=$(echo "$out" | sed -n 's/^ok: \([0-9]*\) documents.*/\1/p')
  else
    no "$1"; echo "$out"
    cp "$DB" "$T/failed-$kills.db"; [ -f "$DB-wal" ] && cp "$DB-wal" "$T/failed-$kills.db-wal"
  fi
}

# complete LABEL: a re-run to the end equals the reference.
complete() {
  "$TALLY" ingest -q --db "$DB" "$CORPUS/" 2> "$T/err"
  st=$?
  [ $st = "$REF_STATUS" ] || { no "$1: re-run exit $st, the reference's was $REF_STATUS"; cat "$T/err"; }
  if out=$("$CHECK" same "$DB" "$T/ref.db" 2>&1); then echo "$1: re-run complete, same as the reference ($out)"
  else no "$1: re-run differs from the reference"; echo "$out"; fi
}

kills=0 rounds=0 finished=0 stored=0 inround=0 groups=0
while [ $kills -lt "$KILLS" ] && [ $rounds -lt $(( KILLS * 4 )) ]; do
  if [ $inround = 4 ] || [ "${stored:-0}" -ge "$REF_DOCS" ]; then
    groups=$(( groups + 1 ))
    complete "group $groups"
    inround=0
  fi
  if [ $inround = 0 ]; then rm -f "$DB" "$DB-wal" "$DB-shm"; stored=0; fi
  rounds=$(( rounds + 1 )) inround=$(( inround + 1 ))
  # at most 1.1 x the time the documents still to store took the reference
  max=$(( STARTUP_MS / 2 + MAX_DELAY * (REF_DOCS - stored) / REF_DOCS ))
  delay=$(( STARTUP_MS / 2 + (RANDOM * 32768 + RANDOM) % (max + 1) ))
  batches=(1 2 3 5)
  batch=${batches[$(( RANDOM % 4 ))]}
  "$TALLY" ingest -q --batch $batch --db "$DB" "$CORPUS/" 2> "$T/err" &
  PID=$!
  sleep "$(printf '%d.%03d' $(( delay / 1000 )) $(( delay % 1000 )))"
  kill -KILL "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  st=$?
  PID=
  label="round $rounds (batch $batch, ${delay} ms)"
  if [ $st = 137 ]; then
    kills=$(( kills + 1 ))
    check_copy "$label: killed ($kills)"
  elif [ $st = "$REF_STATUS" ]; then
    finished=$(( finished + 1 ))
    check_copy "$label: finished before the kill"
  else
    no "$label: exit $st"; cat "$T/err"
  fi
done
complete "last group"
echo "$kills kills in $rounds rounds ($finished finished first)"
[ $kills -ge "$KILLS" ] || no "only $kills kills landed on a running ingest (wanted $KILLS)"
exit $fail
