#!/bin/sh
# `tally serve --review` (issue 14): claim pages take reviews by POST with the
# token printed at start; without --review the server stays read-only.
#   usage: review.sh TALLY   (exit 77: no ../shared seeds)
set -u
TALLY=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
[ -f "$SEEDS" ] || { echo "skip: no $SEEDS"; exit 77; }
DB=$T/r.db
"$TALLY" ingest -q --db "$DB" "$SEEDS" || [ $? = 3 ] || { echo "FAIL: ingest"; exit 1; }

# post PATH BODY [curl options...]: the status
post() {
  p=$1; body=$2; shift 2
  curl -s -o "$T/body" -D "$T/h" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-raw "$body" "$@" "$URL${p#/}"
}
is() { [ "$1" = "$2" ] && ok "$3 ($1)" || no "$3: $1, expected $2"; }

# read-only: no form, POST refused
start_server
is "$(post /claims/1/review 'action=confirm')" 405 "read-only: POST is 405"
curl -s "${URL}claims/1" > "$T/page"
grep -q 'action="/claims/1/review"' "$T/page" && no "read-only: no review form" || ok "read-only: no review form"
kill "$PID"; wait "$PID" 2>/dev/null; PID=

# --review on a wildcard address is refused
"$TALLY" serve -q --review --bind 0.0.0.0 --port 0 --db "$DB" > "$T/out2" 2> "$T/err2" &
P2=$!
sleep 1
if kill -0 "$P2" 2>/dev/null; then kill "$P2"; no "--review --bind 0.0.0.0 refused"; else
  wait "$P2"; rc=$?
  [ $rc = 1 ] && grep -q 'loopback' "$T/err2" && ok "--review --bind 0.0.0.0 refused (exit 1)" || no "--review --bind 0.0.0.0: exit $rc"
fi

SERVE_ARGS=--review start_server
TOKEN=$(sed -n 's/^review token: //p' "$T/out")
[ ${#TOKEN} = 32 ] && ok "a review token printed at start" || no "review token: '$TOKEN'"
curl -s "${URL}claims/1" > "$T/page"
grep -q "name=\"token\" value=\"$TOKEN\"" "$T/page" && grep -q 'action="/claims/1/review"' "$T/page" &&
  ok "the claim page has the review form with its token" || no "review form on the claim page"
HOSTPORT=${URL#http://}; HOSTPORT=${HOSTPORT%/}

is "$(post /claims/1/review 'action=confirm')" 403 "no token: 403"
is "$(post /claims/1/review 'token=0123456789abcdef0123456789abcdef&action=confirm')" 403 "a wrong token: 403"
is "$(post /claims/1/review "token=$TOKEN&action=confirm" -H 'Origin: http://evil.example')" 403 "another site's Origin: 403"
is "$(post /claims/1/review "token=$TOKEN&action=confirm" -H 'Host: evil.example')" 400 "a foreign Host: refused"
is "$(post /claims/1/review "token=$TOKEN&action=explode")" 400 "an unknown action: 400"
is "$(post /claims/999999/review "token=$TOKEN&action=confirm")" 400 "an unknown claim: 400"
is "$(post /claims/1/other "token=$TOKEN&action=confirm")" 404 "another POST route: 404"
is "$(post /claims/1/review "token=$TOKEN&action=confirm&note=$(head -c 5000 /dev/zero | tr '\0' a)")" 413 "a form over 4 KB: 413"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-raw "token=$TOKEN&action=confirm" -H 'Content-Type: text/plain' "${URL}claims/1/review")" 415 "not a form: 415"

is "$(post /claims/1/review "token=$TOKEN&action=confirm&by=Tester&note=seen+in+the+source" -H "Origin: http://$HOSTPORT")" 303 "confirm: 303"
grep -qi '^location: /claims/1' "$T/h" && ok "confirm: back to the claim's page" || no "confirm: Location"
is "$(post /claims/2/review "token=$TOKEN&action=reject&by=Tester")" 303 "reject: 303"
is "$(post /claims/3/review "token=$TOKEN&action=correct&field=count_low&value=5")" 303 "correct: 303"
is "$(post /claims/3/review "token=$TOKEN&action=correct&field=nope&value=5")" 400 "correct an unknown field: 400"
kill "$PID"; wait "$PID" 2>/dev/null; PID=

"$TALLY" review --db "$DB" --list --csv > "$T/list" 2>&1
grep -q 'confirm' "$T/list" && grep -q 'Tester' "$T/list" && grep -q 'seen in the source' "$T/list" && ok "the confirmation is logged with who and the note" || no "confirmation logged"
grep -q 'reject' "$T/list" && ok "the rejection is logged" || no "rejection logged"
grep -q 'count_low=5' "$T/list" && ok "the correction is logged" || no "correction logged"
exit $fail
