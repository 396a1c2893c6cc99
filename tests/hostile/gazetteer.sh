#!/usr/bin/env bash
# The gazetteer file overwritten in place while tally runs (a rebuild, a cp):
# the run goes on with the copy it read at start, no SIGBUS, same claims.
. "$(dirname "$0")/lib.sh"
gaz=${TALLY_GAZETTEER:?TALLY_GAZETTEER must name the built gazetteer}
cp "$gaz" "$TMP/gaz.bin"
python3 -c "
import json, sys
for i in range(40000):
    sys.stdout.write(json.dumps({'id': 'd%d' % i, 'text': 'Shelling killed %d civilians in Barda on Monday, officials in Baku said. ' % (i % 9 + 2) * 6}) + '\n')
" > "$TMP/many.jsonl"
TALLY_GAZETTEER=$TMP/gaz.bin "$TALLY" extract "$TMP/many.jsonl" > "$TMP/ref.out" 2>/dev/null
TALLY_GAZETTEER=$TMP/gaz.bin timeout "$TIMEOUT" "$TALLY" extract "$TMP/many.jsonl" > "$TMP/run.out" 2> "$TMP/run.err" &
pid=$!
# rewrite it only once the run has read it (its first claims are out)
for _ in $(seq 1 600); do [ -s "$TMP/run.out" ] && break; sleep 0.05; done
for _ in 1 2 3; do : > "$TMP/gaz.bin"; sleep 0.05; cat "$gaz" > "$TMP/gaz.bin"; done
wait $pid; RC=$?
[ "$RC" -lt 128 ] && ok "no signal while the gazetteer is rewritten (exit $RC)" || bad "killed by signal $((RC - 128))"
check "exit status 0" rc_is 0
cmp -s "$TMP/ref.out" "$TMP/run.out" && ok "same claims as an undisturbed run" || bad "claims differ from an undisturbed run"
finish
