#!/usr/bin/env bash
# Out of memory in one document: named with its byte offset in its input,
# skipped, and the run goes on with the next document, exit 3. The failure
# is made with --max-doc-memory N (each document's extraction and output
# through an allocator that refuses past N bytes), at every stage: a sweep
# of bounds over examples/ fails allocations all through the pipeline and
# the writers, and no run crashes.
. "$(dirname "$0")/lib.sh"
d=$TMP/in; mkdir -p "$d"
good_doc "$d"
python3 - "$d" <<'EOF2'
import json, sys
d = sys.argv[1]
open(d + '/big.txt', 'w').write('Shelling killed 9 civilians in Barda. ' * 20000)
with open(d + '/lines.jsonl', 'w') as f:
    f.write(json.dumps({'id': 'l1', 'text': 'Rockets injured 7 soldiers in Ganja.'}) + '\n')
    f.write(json.dumps({'id': 'l2', 'text': 'Rockets injured 8 soldiers in Ganja. ' * 20000}) + '\n')
    f.write(json.dumps({'id': 'l3', 'text': 'Rockets injured 9 soldiers in Ganja.'}) + '\n')
EOF2
for j in 1 2; do
    run -j $j --max-doc-memory 20000000 "$d/big.txt" "$d/good.txt" "$d/lines.jsonl"
    check "-j $j: exit status 3" rc_is 3
    check "-j $j: the big text file named, with a byte offset" err_line "big:"
    grep -F "big:" "$ERR" | grep -q "out of memory.*--max-doc-memory 20000000" && ok "-j $j: the reason and the bound said" || bad "-j $j: no reason"
    check "-j $j: the big JSON line named, at byte 61 of its input" [ "$(grep -F 'l2:' "$ERR" | grep -c 'at byte 61 of its input')" -eq 1 ]
    check "-j $j: the document after the big file extracted" has_claim good killed 5
    check "-j $j: the JSON line before the big one extracted" has_claim l1 injured 7
    check "-j $j: the JSON line after the big one extracted" has_claim l3 injured 9
    [ "$(err_lines)" -eq 2 ] && ok "-j $j: two error lines" || bad "-j $j: $(err_lines) error lines, want 2"
done
run --max-doc-memory 0 "$d/good.txt"
check "--max-doc-memory 0: usage error 2" rc_is 2

# the sweep: every run ends 0 or 3, each error line an out-of-memory one
# naming a document and its offset
src=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$TALLY" "$src/examples" "$TIMEOUT" <<'EOF2' && ok "a sweep of 70 bounds over examples/: no crash, every failure named" || bad "the sweep of bounds"
import re, subprocess, sys
tally, ex, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
full = subprocess.run([tally, 'extract', ex], capture_output=True, timeout=timeout)
cap, bad, runs, failed = 65536, 0, 0, 0
while cap < 1 << 20:
    p = subprocess.run([tally, 'extract', '--max-doc-memory', str(cap), ex], capture_output=True, timeout=timeout)
    runs += 1
    if p.returncode not in (0, 3):
        print('  --max-doc-memory %d: exit %d' % (cap, p.returncode)); bad += 1
    lines = p.stderr.decode('utf-8', 'replace').splitlines()
    failed += len(lines)
    for l in lines:
        if not re.match(r'tally: [^:]+: out of memory .*at byte \d+ of its input', l):
            print('  --max-doc-memory %d: %s' % (cap, l)); bad += 1
    if p.returncode == 0 and p.stdout != full.stdout:
        print('  --max-doc-memory %d: exit 0 but other output' % cap); bad += 1
    cap = int(cap * 1.04) + 1
print('  %d runs, %d documents skipped for memory' % (runs, failed))
sys.exit(1 if bad or not failed else 0)
EOF2
finish
