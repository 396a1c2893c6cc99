# lib.sh -- shared by the hostile-input tests (sourced, not run).
#
# Every test gets the tally binary as $1, makes its inputs itself in a temp
# dir (removed on exit), runs `tally extract` under a generous timeout, and
# checks the CLI contract:
#   exit 0 when every document was read, 3 when some were skipped;
#   one stderr line per skipped document, naming it, with "byte N";
#   the good documents of the same run still produce their claims.
# No test checks timing: the timeouts only catch hangs and blow-ups.
set -u
TALLY=${1:?usage: $0 path/to/tally}
TIMEOUT=${TALLY_HOSTILE_TIMEOUT:-60}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tally-hostile.XXXXXX")
# TALLY_HOSTILE_KEEP=1 keeps the inputs and outputs for a look afterwards.
if [ -n "${TALLY_HOSTILE_KEEP:-}" ]; then echo "inputs and outputs kept in $TMP"
else trap 'rm -rf "$TMP"' EXIT; fi
fails=0
passes=0

ok() { echo "ok: $*"; passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

# run ARGS...: tally extract ARGS with the timeout; sets RC, OUT (stdout file),
# ERR (stderr file). A timeout (124) or a signal (>128) is always a failure.
RUN_N=0
run() {
    RUN_N=$((RUN_N + 1))
    OUT=$TMP/out.$RUN_N
    ERR=$TMP/err.$RUN_N
    timeout "$TIMEOUT" "$TALLY" extract "$@" >"$OUT" 2>"$ERR"
    RC=$?
    if [ "$RC" -eq 124 ]; then bad "timed out after ${TIMEOUT}s: tally extract $*"
    elif [ "$RC" -gt 128 ]; then bad "killed by signal $((RC - 128)): tally extract $*"; fi
    sed 's/^/  stderr: /' "$ERR" | head -8
}

rc_is() { [ "$RC" -eq "$1" ]; }
# claims DOC: the number of claims of document DOC in the last run's output
claims() { grep -c "^{\"doc\":\"$1\"," "$OUT"; }
has_claim() { # has_claim DOC OUTCOME COUNT
    grep "^{\"doc\":\"$1\"," "$OUT" | grep -q "\"outcome\":\"$2\",\"count_low\":$3,"
}
# err_line NAME: exactly one stderr line names NAME, and it gives "byte N"
err_line() {
    local n
    n=$(grep -c -F -- "$1" "$ERR")
    [ "$n" -eq 1 ] && grep -F -- "$1" "$ERR" | grep -Eq 'byte [0-9]+'
}
err_lines() { grep -c . "$ERR"; }
no_errors() { [ ! -s "$ERR" ]; }
# every output line is a JSON object on one line (no raw control characters)
output_is_jsonl() {
    python3 - "$OUT" <<'EOF'
import json, sys
with open(sys.argv[1], 'rb') as f:
    for n, line in enumerate(f, 1):
        try:
            v = json.loads(line.decode('utf-8'))
        except Exception as e:
            print("  line %d is not JSON: %s" % (n, e)); sys.exit(1)
        if not isinstance(v, dict):
            print("  line %d is not an object" % n); sys.exit(1)
        for k in ('count_low', 'count_high'):
            if k in v and v[k] is not None and v[k] < 0:
                print("  line %d: negative %s" % (n, k)); sys.exit(1)
EOF
}

# texts <<'EOF' ... EOF: runs the Python program on stdin with d (the input
# directory, $TMP/in, made) and w(name, text) writing d/name.txt
texts() {
    mkdir -p "$TMP/in"
    python3 -c "import sys
d = sys.argv[1]
def w(name, s):
    with open('%s/%s.txt' % (d, name), 'w') as f: f.write(s)
exec(sys.stdin.read())" "$TMP/in"
}

# gen FILE PYTHON-EXPR: writes the bytes of a Python expression (b'...' * n)
gen() { python3 -c "import sys; sys.stdout.buffer.write($2)" >"$1"; }

GOOD_TEXT='Shelling killed 5 civilians in Ganja on Monday, officials said.'
# good_doc DIR: a plain-text document with one claim (doc id "good")
good_doc() { printf '%s\n' "$GOOD_TEXT" >"$1/good.txt"; }

finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
    exit $?
}
