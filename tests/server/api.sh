#!/bin/sh
# The HTTP API of `tally serve` with curl on loopback: routes, JSON, status
# codes, escaping, path traversal, unknown routes and methods, limits.
#   usage: api.sh TALLY   (exit 77: no curl or no ../shared seeds)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v curl >/dev/null 2>&1 || { echo "skip: no curl"; exit 77; }
. "$(dirname "$0")/lib.sh"

DB=$T/t.db
if [ -f "$SEEDS" ]; then
  "$TALLY" ingest -q --db "$DB" "$SEEDS" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }
  HAVE_SEEDS=1
else
  HAVE_SEEDS=0
fi
cat > "$T/hostile.txt" <<'DOC'
Ganja, October 11, 2020. <script>alert(1)</script> Officials said that 9 civilians were killed in Ganja on October 11, 2020. "quoted" & 'single' done.
DOC
"$TALLY" ingest -q --published 2020-10-11 --db "$DB" "$T/hostile.txt" || [ $? = 3 ] || { echo "FAIL: ingest hostile"; exit 1; }

# usage errors
"$TALLY" serve --port nope --db "$DB" 2>/dev/null; [ $? = 2 ] && ok "--port nope: exit 2" || no "--port nope: exit 2"
"$TALLY" serve --db "$T/missing.db" 2>/dev/null; [ $? = 1 ] && ok "missing db: exit 1" || no "missing db: exit 1"
echo "not sqlite" > "$T/bad.db"
"$TALLY" serve --db "$T/bad.db" --port 0 2>/dev/null; [ $? = 1 ] && ok "not a database: exit 1" || no "not a database: exit 1"

start_server
case $URL in http://127.0.0.1:*) ok "binds to loopback by default ($URL)";; *) no "binds to loopback ($URL)";; esac

# code PATH EXPECTED [curl options...]
code() {
  path=$1; want=$2; shift 2
  got=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "$@" "$URL${path#/}")
  [ "$got" = "$want" ] && ok "$* $path -> $want" || no "$* $path -> $got, expected $want"
}
has() { grep -q -- "$1" "$T/body" && ok "$2" || no "$2"; }
hasnt() { grep -q -- "$1" "$T/body" && no "$2" || ok "$2"; }

for p in / /incidents /incidents/1 /claims /claims/1 /documents/1 /search /search?q=Ganja /assets/app.js /assets/style.css /assets/borders.json \
         /api/map /api/series /export.csv /export.geojson "/incidents?country=AZ&since=2020-10&until=2020-10-31&page=2&per_page=3" \
         /api/overview /api/timeline /api/incidents /api/incidents/1 /api/claims/1 /api/documents/1 "/api/search?q=Ganja"; do
  code "$p" 200
done
code /api/overview 200
has '"counts":{"documents":' "overview: counts"
code /api/timeline 200
if [ $HAVE_SEEDS = 1 ]; then
  for v in 23 27 93 146; do has "\"value\":$v," "timeline: a point of $v"; done
fi
code /api/incidents/1 200
has '"claims":\[{' "incident 1: its claims"
if [ $HAVE_SEEDS = 1 ]; then
  code /incidents/1 200
  has 'id="related"' "incident 1 (Ganja, aggregate): its related incidents listed"
  has 'class="claim"' "incident 1: its claims as cards"
fi
curl -s -D "$T/h" -o /dev/null "${URL}api/overview"
grep -qi '^content-type: application/json' "$T/h" && ok "JSON content type" || no "JSON content type"
grep -qi '^content-security-policy: default-src' "$T/h" && ok "CSP header" || no "CSP header"
grep -qi '^x-content-type-options: nosniff' "$T/h" && ok "nosniff header" || no "nosniff header"

# escaping: the hostile document's text comes out with no raw < > &
code "/api/search?q=alert" 200
has '"document_id":' "search finds the hostile document"
HID=$(sed -n 's/.*"results":\[{"document_id":\([0-9]*\).*/\1/p' "$T/body")
code "/api/documents/$HID" 200
has '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e' "document text: <script> escaped as \\u003c"
hasnt '<script>' "document JSON: no raw <script>"
hasnt '&' "document JSON: no raw &"
code "/api/search?q=%22%3Cscript%3E%22" 200
hasnt '<' "search echo: no raw <"
code "/documents/$HID" 200
has '<script src="/assets/app.js"' "document page: the page script"
has '&lt;script&gt;alert(1)&lt;/script&gt;' "document page: the text rendered, <script> escaped"
hasnt '<script>alert' "document page: no raw <script> from the database"
hasnt '<img src=x' "document page: no raw <img> from the database"
code "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E" 200
hasnt '<script>alert' "search page: the query escaped"
has 'value="&lt;script&gt;alert(3)&lt;/script&gt;"' "search page: the query in the form, escaped"
code "/search?q=%22%27%3E%3Cb%3E" 200
hasnt "'><b>" "search page: a quote cannot close the attribute"
# search takes what people type (issue 14)
for q in Nagorno-Karabakh "Amnesty%27s" U.S. '%22unterminated' 'AND' '-' 'a*b' ; do
  code "/search?q=$q" 200
  hasnt 'class="error"' "search page: '$q' is no query error"
done
code "/search?q=fts:Ganja%20AND%20missile" 200
code "/search?q=fts:%22unterminated" 400
has 'class="error"' "search page: a malformed fts: query is a 400 saying why"
# filters in the URL: bad values are a 400 page, good ones a view
for a in since=2020-13 until=x country=AZE country=A1 "outcome=kil%20led"; do code "/incidents?$a" 400; done
code "/claims/1" 200
for f in "place precision" "date basis" "victims' side" "reported by" "part of"; do
  has "<dt>$f</dt>" "claim page: $f (issue 12)"
done
hasnt '(“”)' "claim page: no empty quotation of a text that named nothing"
code "/claims?victims_side=AZ" 200
hasnt 'class="error"' "victims_side: a view (schema 4 stores it)"
code "/export.csv?victims_side=AZ" 200
[ "$(wc -l < "$T/body")" -gt 1 ] && ok "victims_side=AZ: its rows exported" || no "victims_side=AZ: no rows"
code "/export.csv?victims_side=XX" 200
[ "$(wc -l < "$T/body")" -eq 1 ] && ok "victims_side=XX: the header alone" || no "victims_side=XX: rows of another side"
code "/incidents?country=AZ" 200
has 'data-country="AZ"' "incidents of AZ"
hasnt 'data-country="UA"' "no incident of UA in the view of AZ"
has 'href="/export.csv?country=AZ"' "the view's CSV export linked"
has 'class="permalink" href="/incidents?country=AZ"' "the view's permalink"
# exports of the view: CSV (formula-leading cells made inert) and GeoJSON
code "/export.csv?country=AZ" 200
head -1 "$T/body" | grep -q '^claim_id,' && ok "export.csv: a header" || no "export.csv: a header"
awk -F, 'NR > 1 && $0 !~ /,AZ,/ { bad = 1 } END { exit bad }' "$T/body" && ok "export.csv: only rows of AZ" || no "export.csv: only rows of AZ"
grep -q '^[^"]*,[=+@-]' "$T/body" && no "export.csv: a cell starts with a formula sign" || ok "export.csv: no cell starts with a formula sign"
curl -s -D "$T/h" -o /dev/null "${URL}export.csv"
grep -qi '^content-disposition: attachment' "$T/h" && ok "export.csv: an attachment" || no "export.csv: an attachment"
code "/export.geojson?country=AZ" 200
has '"type":"FeatureCollection"' "export.geojson: a FeatureCollection"
code "/api/map?country=AZ" 200
has '"total":' "view API: the map's total"
code "/api/series?claimant=Prosecutor" 200
has '"series_total":' "view API: the series' total"

# not found, bad ids
for p in /nope /api /api/ /api/nope /api/incidents/999999 /api/claims/0 /api/claims/abc /api/claims/01 \
         /api/claims/1/2 /api/documents/-1 /incidents/999999 /claims/999999 /documents/999999 /claims/01 \
         /assets/ /assets/nope.js /assets/../server.c /favicon.ico /index.htm; do
  code "$p" 404
done
# path traversal, raw and encoded
code /../etc/passwd 404 --path-as-is
code /assets/../../etc/passwd 404 --path-as-is
code /assets/%2e%2e/%2e%2e/etc/passwd 404 --path-as-is
code /assets/..%2f..%2fetc%2fpasswd 404 --path-as-is
code /%2e%2e/CMakeLists.txt 404 --path-as-is
# bad search
code "/api/search" 400
code "/api/search?q=" 400
code "/api/search?q=%22unterminated" 400
has '"error":' "bad FTS query: JSON error"
code "/api/search?q=$(head -c 400 /dev/zero | tr '\0' a)" 400
# methods
code /api/overview 405 -X POST -d x=1
code / 405 -X PUT -d x
code / 405 -X DELETE
code /api/overview 405 -X OPTIONS
code /api/overview 200 -I
# limits: a huge header, a huge URL
BIG=$(head -c 40000 /dev/zero | tr '\0' a)
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Big: $BIG" "${URL}api/overview")
case $got in 4??|000) ok "oversized headers refused ($got)";; *) no "oversized headers: $got";; esac
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${URL}$(head -c 3000 /dev/zero | tr '\0' a)")
case $got in 4??) ok "long URL refused ($got)";; *) no "long URL: $got";; esac
# malformed requests on a raw socket
if command -v python3 >/dev/null 2>&1; then
  PORT=${URL##*:}; PORT=${PORT%/}
  for req in 'GARBAGE\r\n\r\n' 'GET /\r\n\r\n' 'GET / HTTP/9.9\r\n\r\n' 'GET nope HTTP/1.1\r\nHost: x\r\n\r\n'; do
    st=$(python3 - "$PORT" "$req" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode())
try:
    d = s.recv(200).decode("latin1")
except Exception:
    d = ""
print(d.split("\r\n")[0].split(" ")[1] if d.startswith("HTTP/") else "closed")
PY
)
    case $st in 4??|5??|closed) ok "malformed request -> $st";; *) no "malformed request $req -> $st";; esac
  done
fi
# still alive
code /api/overview 200
kill "$PID"; wait "$PID"; st=$?; PID=
[ $st = 0 ] && ok "stops cleanly on SIGTERM" || { no "server exit status $st"; cat "$T/err"; }
grep -q 'Sanitizer' "$T/err" && { no "sanitizer report"; cat "$T/err"; }
exit $fail
