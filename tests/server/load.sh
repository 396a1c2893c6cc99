#!/usr/bin/env bash
# A bounded load test of `tally serve` with wrk on loopback: no socket error,
# no unexpected status, the server's memory does not grow under load, and it
# survives more connections than its limit (256) and stops cleanly.
#
#   usage: load.sh TALLY   (exit 77: no wrk)
#   TALLY_LOAD_SECONDS   length of each load round (default 4)
#   TALLY_LOAD_GROWTH_KB allowed growth of VmRSS over the load rounds
#                        (default 4096; 16384 under ASan)
#
# The database is examples/ plus ../shared/seeds when present. Rounds, each
# `wrk -t1` for a few seconds: a warm-up over every route, then the mixed
# routes with 8 connections (twice), /api/overview (43 KB a response) with 32
# connections, a 404 route; VmRSS (/proc/PID/status) is read after the
# warm-up and after these. Then 100 connections (over the limit: refused
# connections are allowed there) and a last mixed round that must be clean
# again. About 25 s.
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${TALLY_LOAD_SECONDS:-4}
# wrk comes from scripts/setup.sh: nothing is installed at test time
command -v wrk >/dev/null 2>&1 || { echo "skip: no wrk (scripts/setup.sh installs it)"; exit 77; }
[ -r /proc/self/status ] || { echo "skip: no /proc"; exit 77; }
. "$(dirname "$0")/lib.sh"

DB=$T/load.db
INPUTS=("$ROOT/examples/")
[ -f "$SEEDS" ] && INPUTS+=("$SEEDS")
"$TALLY" ingest -q --db "$DB" "${INPUTS[@]}" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }

# ASan holds freed memory in quarantine (256 MB by default): keep it small so
# that RSS means something, and allow more.
ASAN=0
if ldd "$TALLY" 2>/dev/null | grep -q libasan || grep -aq __asan_init "$TALLY"; then ASAN=1; fi
GROWTH=${TALLY_LOAD_GROWTH_KB:-$([ $ASAN = 1 ] && echo 16384 || echo 4096)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=8

start_server nice
URL=${URL%/}
case $URL in http://127.0.0.1:*) ;; *) echo "FAIL: not on loopback: $URL"; exit 1;; esac
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status"; }

# Every route that answers 200, in turn (a wrk Lua script).
cat > "$T/mixed.lua" <<'LUA'
local paths = {"/", "/incidents", "/claims/1", "/assets/app.js", "/assets/style.css",
               "/api/overview", "/api/timeline", "/api/incidents", "/api/incidents/1",
               "/api/claims/1", "/api/documents/1", "/api/search?q=killed",
               "/api/search?q=%22killed%22%20AND%20civilians"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA

# load LABEL EXPECT CONNECTIONS SECONDS [wrk args...]: EXPECT is "2xx" (every
# response 2xx), "non2xx" (every response not), or "any" (socket errors and
# statuses not checked: over the connection limit).
load() {
  label=$1 expect=$2 conns=$3 secs=$4; shift 4
  nice wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s "$@" > "$T/wrk" 2>&1
  st=$?
  reqs=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$T/wrk")
  sock=$(sed -n 's/^ *Socket errors: //p' "$T/wrk")
  bad=$(sed -n 's/^ *Non-2xx or 3xx responses: \([0-9]*\)/\1/p' "$T/wrk")
  rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$T/wrk")
  desc="$label: ${reqs:-?} requests, ${rate:-?}/s, socket errors: ${sock:-none}, non-2xx: ${bad:-0}"
  if [ $st != 0 ] || [ -z "$reqs" ] || [ "$reqs" = 0 ]; then no "$desc (wrk exit $st)"; cat "$T/wrk"; return; fi
  case $expect in
    2xx) [ -z "$sock" ] && [ -z "$bad" ] && ok "$desc" || { no "$desc"; cat "$T/wrk"; } ;;
    non2xx) [ -z "$sock" ] && [ "${bad:-0}" = "$reqs" ] && ok "$desc" || { no "$desc"; cat "$T/wrk"; } ;;
    any) ok "$desc" ;;
  esac
}

load "warm-up, mixed routes" 2xx 8 2 -s "$T/mixed.lua" "$URL/"
load "warm-up, /api/overview" 2xx 32 1 "$URL/api/overview"
rss0=$(rss)
load "mixed routes, 8 connections" 2xx 8 "$SECS" -s "$T/mixed.lua" "$URL/"
load "/api/overview, 32 connections" 2xx 32 "$SECS" "$URL/api/overview"
load "404 /api/claims/999999" non2xx 8 2 "$URL/api/claims/999999"
load "mixed routes again, 8 connections" 2xx 8 "$SECS" -s "$T/mixed.lua" "$URL/"
rss1=$(rss)
growth=$(( rss1 - rss0 ))
[ "$growth" -le "$GROWTH" ] && ok "VmRSS $rss0 kB after the warm-up, $rss1 kB after the load (+$growth kB, at most $GROWTH)" \
  || no "VmRSS grew from $rss0 kB to $rss1 kB (+$growth kB, more than $GROWTH)"

load "300 connections (over the limit of 256)" any 300 2 "$URL/api/overview"
kill -0 "$PID" 2>/dev/null && ok "server alive after 300 connections" || no "server died"
sleep 1 # the connections of that round are closed and reaped
load "mixed routes after it" 2xx 8 2 -s "$T/mixed.lua" "$URL/"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/api/overview" 2>/dev/null || echo none)
command -v curl >/dev/null 2>&1 && { [ "$code" = 200 ] && ok "curl /api/overview -> 200" || no "curl /api/overview -> $code"; }

kill "$PID"; wait "$PID"; st=$?; PID=
[ $st = 0 ] && ok "stops cleanly on SIGTERM" || { no "server exit status $st"; }
grep -q 'Sanitizer' "$T/err" && { no "sanitizer report"; cat "$T/err"; }
exit $fail
