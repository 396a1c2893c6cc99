#!/usr/bin/env bash
# Endless input: /dev/zero behind a .jsonl, .warc or .txt name, and an endless
# line on stdin after a good document. Each reader stops at its limit (a
# line is skipped to its newline only up to TLY_MAX_SKIP_FACTOR x the limit),
# names the input and the byte offset, and the documents before it come out.
. "$(dirname "$0")/lib.sh"
d=$TMP/in; mkdir -p "$d"
printf '%s\n' 'Shelling killed 3 civilians in Barda on Monday.' > "$d/good.txt"
for ext in jsonl warc txt; do ln -s /dev/zero "$d/zero.$ext"; done

for ext in jsonl warc txt; do
    run "$d/zero.$ext" "$d/good.txt"
    check "/dev/zero as .$ext: exit status 3" rc_is 3
    check "/dev/zero as .$ext: one error line with its byte offset" err_line "zero.$ext"
    check "/dev/zero as .$ext: the good document after it is extracted" has_claim good killed 3
done

# an endless line on stdin, after a good JSON line (2 GB of zeros, no newline)
printf '%s\n' '{"id":"before","text":"Rockets injured 7 soldiers in Ganja."}' > "$d/before.jsonl"
RUN_N=$((RUN_N + 1)); OUT=$TMP/out.$RUN_N; ERR=$TMP/err.$RUN_N
( cat "$d/before.jsonl"; head -c 2000000000 /dev/zero ) | timeout "$TIMEOUT" "$TALLY" extract - >"$OUT" 2>"$ERR"
RC=$?
[ "$RC" -ne 124 ] && ok "endless line on stdin: no hang" || bad "endless line on stdin: timed out"
check "endless line on stdin: exit status 3" rc_is 3
check "endless line on stdin: the error names stdin and a byte" err_line "stdin"
check "endless line on stdin: the document before it is out" has_claim before injured 7
finish
