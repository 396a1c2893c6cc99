#!/usr/bin/env bash
# Hostile clients against `tally serve` on loopback (tests/server/hostile.py):
# 100 slow clients (a byte every 0.5 s) cut by the head deadline, 300 idle
# connections, a 2000-byte URL (414), 500 arguments in 1 KB (400), %00,
# bodies on GET and HEAD, foreign Host headers (403), bad page arguments,
# four clients looping a 20-term prefix search, 60 clients not reading the
# biggest page of /api/overview: each answered or refused in under a second
# while a normal request (/api/claims/1) is served in under a second. Two
# rounds: VmRSS after the second is not more than TALLY_HOSTILE_GROWTH_KB
# (default 16384) above the first. Then the request log: no forged line, no
# raw escape; --allow-host; a WAL database in a directory the user cannot
# write (as nobody, when run as root). Bounded: about 70 s.
#   usage: hostile.sh TALLY   (exit 77: no python3 or no /proc)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "skip: no curl"; exit 77; }
[ -r /proc/self/status ] || { echo "skip: no /proc"; exit 77; }
. "$(dirname "$0")/lib.sh"
PROBE=$ROOT/tests/server/hostile.py

# A ledger where a 20-term prefix search costs about a second: 10,000
# generated documents of made-up words (no claims), plus examples/ and the seeds.
python3 - "$T/synth.jsonl" <<'PY'
import json, random, sys
random.seed(1)
syll = ["ka","ri","to","ma","ne","su","lo","pa","vi","de","go","ba","ze","mu","fi","ra","te","no","li","sa"]
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        w = ["".join(random.choice(syll) for _ in range(random.randint(2, 4))) for _ in range(120)]
        f.write(json.dumps({"id": "s%d" % i, "title": " ".join(w[:6]), "text": " ".join(w) + "."}) + "\n")
PY
DB=$T/hostile.db
INPUTS=("$T/synth.jsonl" "$ROOT/examples/")
[ -f "$SEEDS" ] && INPUTS+=("$SEEDS")
"$TALLY" ingest -q --db "$DB" "${INPUTS[@]}" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }

# the server with its request log (not -q)
"$TALLY" serve --db "$DB" --port 0 > "$T/out" 2> "$T/log" &
PID=$!
for i in $(seq 100); do grep -q '^serving ' "$T/out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^serving //p' "$T/out")
case $URL in http://127.0.0.1:*) ;; *) echo "FAIL: not on loopback: $URL"; cat "$T/log"; exit 1;; esac
PORT=${URL##*:}; PORT=${PORT%/}
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status"; }

timeout 120 python3 "$PROBE" "$PORT" "round 1: " || fail=1
sleep 1
rss0=$(rss)
timeout 120 python3 "$PROBE" "$PORT" "round 2: " || fail=1
sleep 1
rss1=$(rss)
GROWTH=${TALLY_HOSTILE_GROWTH_KB:-16384}
growth=$(( rss1 - rss0 ))
[ "$growth" -le "$GROWTH" ] && ok "VmRSS $rss0 kB after round 1, $rss1 kB after round 2 (+$growth kB, at most $GROWTH)" \
  || no "VmRSS grew from $rss0 kB to $rss1 kB (+$growth kB, more than $GROWTH)"
kill -0 "$PID" 2>/dev/null && ok "server alive" || no "server died"

# the request log: one line a request, escapes visible, nothing raw
grep -q '^GET /api/admin' "$T/log" && no "log: a forged line" || ok "log: %0a cannot forge a line"
grep -q "$(printf '\033')" "$T/log" && no "log: a raw ESC" || ok "log: no raw ESC"
grep -q "$(printf '\007')" "$T/log" && no "log: a raw BEL" || ok "log: no raw BEL"
grep -qF 'GET /x\x1B[2J\x07 404' "$T/log" && ok "log: raw control bytes shown as \\xNN" || no "log: raw control bytes not escaped"
grep -q '^GET /x%0aGET%20/api/admin%20200 404$' "$T/log" && ok "log: the target as sent" || no "log: the target as sent"
kill "$PID"; wait "$PID"; st=$?; PID=
[ $st = 0 ] && ok "stops cleanly on SIGTERM" || no "server exit status $st"

# --allow-host
rm -f "$T/out"
"$TALLY" serve -q --db "$DB" --port 0 --allow-host tally.test > "$T/out" 2> "$T/err" &
PID=$!
for i in $(seq 100); do grep -q '^serving ' "$T/out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^serving //p' "$T/out")
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Host: tally.test:80' "${URL}api/claims/1")
[ "$got" = 200 ] && ok "--allow-host tally.test: Host tally.test -> 200" || no "--allow-host: $got"
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Host: other.test' "${URL}api/claims/1")
[ "$got" = 403 ] && ok "--allow-host tally.test: Host other.test -> 403" || no "other host: $got"
kill "$PID"; wait "$PID"; PID=
"$TALLY" serve --db "$DB" --allow-host 'a:b' 2>/dev/null; [ $? = 2 ] && ok "--allow-host a:b: exit 2" || no "--allow-host a:b"
"$TALLY" serve --db "$DB" --port -1 2>/dev/null; [ $? = 2 ] && ok "--port -1: exit 2" || no "--port -1"
"$TALLY" serve --db "$DB" --port 99999999999999999999 2>/dev/null; [ $? = 2 ] && ok "--port overflow: exit 2" || no "--port overflow"

# a WAL database in a directory this user cannot write: served (immutable), said so
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  mkdir "$T/ro"; cp "$DB" "$T/ro/t.db"; chmod 755 "$T" "$T/ro"; chmod 644 "$T/ro/t.db"; chmod 555 "$T/ro"
  rm -f "$T/out"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$TALLY" serve -q --db "$T/ro/t.db" --port 0 > "$T/out" 2> "$T/err" &
  PID=$!
  for i in $(seq 50); do grep -q '^serving ' "$T/out" 2>/dev/null && break; kill -0 $PID 2>/dev/null || break; sleep 0.1; done
  URL=$(sed -n 's/^serving //p' "$T/out")
  got=$( [ -n "$URL" ] && curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${URL}api/claims/1")
  [ "$got" = 200 ] && ok "read-only directory: served ($(head -c 120 "$T/err"))" || { no "read-only directory: $got"; cat "$T/err"; }
  grep -q 'readonly database' "$T/err" && no "read-only directory: SQLite's message"
  kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=
  chmod 755 "$T/ro"
else
  echo "skip read-only directory: needs root and setpriv to run as nobody"
fi
grep -q 'Sanitizer' "$T/log" "$T/err" && no "sanitizer report"
exit $fail
