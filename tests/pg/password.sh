#!/usr/bin/env bash
# A ledger's password is never printed: the ledger commands and tally serve
# name a PostgreSQL ledger they cannot open by its connection string with
# the password as "***" (tally_ledger_path_shown). No server is needed: the
# connections go to a closed loopback port (and without libpq the ledger is
# refused as well, named the same way).
#   bash tests/pg/password.sh build/tally
set -uo pipefail
tally=${1:?usage: password.sh TALLY}
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-pg-password.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0
secret=Sw0rdfish42
check() { # check NAME DB ARGS...: fails, says why, names the ledger without the secret
  local name=$1 db=$2; shift 2
  "$tally" "$@" --db "$db" > "$work/out" 2> "$work/err" < /dev/null
  local rc=$?
  if [ $rc -eq 0 ]; then echo "FAIL $name: exit 0"; fail=1
  elif grep -q "$secret" "$work/out" "$work/err"; then echo "FAIL $name: the password is shown: $(cat "$work/err")"; fail=1
  elif ! grep -q '\*\*\*' "$work/err"; then echo "FAIL $name: the ledger is not named: $(cat "$work/err")"; fail=1
  else echo "ok   $name: $(head -1 "$work/err")"; fi
}
url="postgresql://tally:$secret@127.0.0.1:1/ledger?connect_timeout=2"
kw="postgresql:host=127.0.0.1 port=1 user=tally connect_timeout=2 password=$secret"
printf '{"id":"a","text":"Two people were killed in a strike on Monday, officials said."}\n' > "$work/one.jsonl"
check "claims, URL" "$url" claims
check "claims, keywords" "$kw" claims --json
check "incidents" "$url" incidents --csv
check "export" "$url" export --format acled
check "relink" "$kw" relink -q
check "review" "$url" review 1 --confirm
check "review --list" "$kw" review --list
check "ingest" "$url" ingest -q "$work/one.jsonl"
check "serve, URL" "$url" serve -q --port 0
check "serve, keywords" "$kw" serve -q --port 0
[ $fail -eq 0 ] && echo "password: ok" || echo "password: FAILED"
exit $fail
