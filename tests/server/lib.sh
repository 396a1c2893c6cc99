# lib.sh -- sourced by the server tests (api.sh, load.sh): the temporary
# directory and its cleanup, ok/no reporting, the seeds path, and starting
# `tally serve` on a free loopback port. Expects TALLY and ROOT to be set.
"$TALLY" serve --help >/dev/null 2>&1 || { echo "skip: this tally has no serve command"; exit 77; }
SEEDS=${TALLY_SHARED:-$ROOT/../shared}/seeds/seeds.jsonl
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
fail=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; fail=1; }

# start_server [PREFIX...]: `PREFIX... tally serve -q --db $DB --port 0
# $SERVE_ARGS` in the background; sets PID and URL (http://127.0.0.1:PORT/)
start_server() {
  # shellcheck disable=SC2086
  "$@" "$TALLY" serve -q --db "$DB" --port 0 ${SERVE_ARGS:-} > "$T/out" 2> "$T/err" &
  PID=$!
  i=0
  while ! grep -q '^serving ' "$T/out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL: server did not start"; cat "$T/err"; exit 1; }
    sleep 0.1
  done
  URL=$(sed -n 's/^serving //p' "$T/out")
}
