#!/usr/bin/env bash
# Hostile sizes: a single 100 MB line (as a text file, a JSON line, on stdin,
# and gzipped inside a WARC record), the configurable document limit
# (--max-doc-bytes) on every format, a 1 MB sentence without punctuation,
# 100,000 JSON lines. Large inputs are generated here, in the temp dir.
. "$(dirname "$0")/lib.sh"

d=$TMP/in
mkdir "$d"
good_doc "$d"
python3 - "$d" <<'EOF'
import sys, zlib
d = sys.argv[1]
MB = 1 << 20
s = b'Shelling killed 5 civilians in Ganja on Monday, officials said. '
line = (s * (100 * MB // len(s) + 1))[:100 * MB]           # one 100 MB line, no newline
with open(d + '/huge-line.txt', 'wb') as f: f.write(line)
with open(d + '/huge.jsonl', 'wb') as f:
    f.write(b'{"id":"hj-before","text":"Rockets injured 7 soldiers in Ganja."}\n')
    f.write(b'{"id":"hj-huge","text":"' + line + b'"}\n')
    f.write(b'{"id":"hj-after","text":"Rockets injured 8 soldiers in Ganja."}\n')
# a WARC record whose gzip member inflates to 100 MB (a small "zip bomb")
def rec(i, body):
    return (b'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n'
            b'WARC-Date: 2021-05-02T09:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n' % (i, len(body))) + body + b'\r\n\r\n'
def gz(data):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()
with open(d + '/bomb.warc.gz', 'wb') as f:
    f.write(gz(rec(1, b'Rockets injured 9 soldiers in Ganja.\n')))
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    hdr = (b'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000002>\r\n'
           b'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n' % len(line))
    f.write(c.compress(hdr))
    for i in range(0, len(line), 8 * MB): f.write(c.compress(line[i:i + 8 * MB]))
    f.write(c.compress(b'\r\n\r\n') + c.flush())
    f.write(gz(rec(3, b'Rockets injured 10 soldiers in Ganja.\n')))
EOF

# ---- the 100 MB line is over the default 64 MiB limit: skipped, not held
run "$d/huge-line.txt" "$d/good.txt" "$d/huge.jsonl" "$d/bomb.warc.gz"
check "100 MB lines: exit status 3" rc_is 3
check "100 MB text file: one error line" [ "$(grep -c -F /huge-line.txt: "$ERR")" -eq 1 ]
grep -F /huge-line.txt: "$ERR" | grep -q '67108864' && ok "100 MB text file: the limit is named" || bad "100 MB text: limit not named"
check "good file after the 100 MB one still extracted" has_claim good killed 5
check "100 MB JSON line: one error line with its offset" err_line "huge.jsonl:2:"
check "JSON line before the 100 MB one extracted" has_claim hj-before injured 7
check "JSON line after the 100 MB one extracted" has_claim hj-after injured 8
check "WARC record inflating to 100 MB: one error line" [ "$(grep -c 'urn:uuid:00000000-0000-4000-8000-000000000002\|bomb.warc.gz' "$ERR")" -eq 1 ]
check "WARC record before the bomb extracted" has_claim urn:uuid:00000000-0000-4000-8000-000000000001 injured 9
check "WARC record after the bomb extracted" has_claim urn:uuid:00000000-0000-4000-8000-000000000003 injured 10
[ "$(err_lines)" -eq 3 ] && ok "three error lines for three huge documents" || bad "$(err_lines) error lines, want 3"
run - <"$d/huge-line.txt"
check "100 MB line on stdin: exit status 3" rc_is 3
check "100 MB line on stdin: one error line" [ "$(grep -c stdin "$ERR")" -eq 1 ]
rm -f "$d/huge-line.txt" "$d/huge.jsonl" "$d/bomb.warc.gz"

# ---- --max-doc-bytes: the same limit, smaller, on every format
python3 - "$d" <<'EOF'
import gzip, sys
d = sys.argv[1]
s = b'Shelling killed 5 civilians in Ganja on Monday, officials said. '
# 2 MB: one claim, then sentences without one (the limit is what is tested here)
f = b'The convoy moved slowly along the road near the river. '
big = s + f * (2 * (1 << 20) // len(f))
def w(n, b):
    with open(d + '/' + n, 'wb') as f: f.write(b)
w('lim-big.txt', big)
w('lim-big.html', b'<html><body><p>' + big + b'</p></body></html>')
w('lim-big.txt.gz', gzip.compress(big))
w('lim-lines.jsonl', b'{"id":"l1","text":"Rockets injured 11 soldiers in Ganja."}\n{"id":"l2","text":"' + big +
  b'"}\n{"id":"l3","text":"Rockets injured 12 soldiers in Ganja."}\n')
def rec(i, body):
    return (b'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n'
            b'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n' % (i, len(body))) + body + b'\r\n\r\n'
w('lim-records.warc', rec(11, b'Rockets injured 13 soldiers in Ganja.\n') + rec(12, big) +
  rec(13, b'Rockets injured 14 soldiers in Ganja.\n'))
w('lim-small.txt', s)
EOF
run --max-doc-bytes 1000000 "$d"
check "--max-doc-bytes: exit status 3" rc_is 3
for f in lim-big.txt lim-big.html lim-big.txt.gz; do
    check "--max-doc-bytes: $f one error line" [ "$(grep -c -F "/$f:" "$ERR")" -eq 1 ]
done
check "--max-doc-bytes: JSON line over the limit, one error line with its offset" err_line "lim-lines.jsonl:2:"
check "--max-doc-bytes: WARC record over the limit, one error line" [ "$(grep -c 'urn:uuid:00000000-0000-4000-8000-000000000012' "$ERR")" -eq 1 ]
grep -q '1000000' "$ERR" && ok "--max-doc-bytes: the limit is named" || bad "--max-doc-bytes: the limit is not named"
check "--max-doc-bytes: small file extracted" has_claim lim-small killed 5
check "--max-doc-bytes: JSON lines around the big one" has_claim l1 injured 11
check "--max-doc-bytes: JSON lines around the big one (after)" has_claim l3 injured 12
check "--max-doc-bytes: WARC record before the big one" has_claim urn:uuid:00000000-0000-4000-8000-000000000011 injured 13
check "--max-doc-bytes: WARC record after the big one" has_claim urn:uuid:00000000-0000-4000-8000-000000000013 injured 14
[ "$(err_lines)" -eq 5 ] && ok "--max-doc-bytes: five error lines" || bad "--max-doc-bytes: $(err_lines) error lines, want 5"
run --max-doc-bytes 3000000 "$d/lim-big.txt" "$d/good.txt"
check "--max-doc-bytes above the size: exit status 0" rc_is 0
check "--max-doc-bytes above the size: the 2 MB document extracted" has_claim lim-big killed 5
run --max-doc-bytes 0 "$d/good.txt"
check "--max-doc-bytes 0: usage error 2" rc_is 2
run --max-doc-bytes banana "$d/good.txt"
check "--max-doc-bytes banana: usage error 2" rc_is 2
rm -f "$d"/lim-*

# ---- a 1 MB sentence without punctuation: cut into pieces of at most 64 KiB
python3 - "$d" <<'EOF'
import sys
d = sys.argv[1]
f = b'the convoy moved slowly along the road near the river and '
body = (f * ((1 << 20) // len(f) + 1))[:1 << 20]
with open(d + '/nopunct.txt', 'wb') as out:
    out.write(b'shelling killed 15 civilians in Ganja on Monday and ' + body +
              b' rockets injured 16 soldiers in Ganja the ministry said')
# the same without a single space: one 1 MB token
with open(d + '/onetoken.txt', 'wb') as out:
    out.write(b'Shelling killed 17 civilians in Ganja. ' + b'x' * (1 << 20) + b' Rockets injured 18 soldiers.')
EOF
run "$d/nopunct.txt" "$d/onetoken.txt"
check "1 MB sentence: exit status 0" rc_is 0
check "1 MB sentence: claim at its start" has_claim nopunct killed 15
check "1 MB sentence: claim at its end" has_claim nopunct injured 16
check "1 MB token: claim before it" has_claim onetoken killed 17
check "1 MB token: claim after it" has_claim onetoken injured 18
python3 - "$OUT" <<'EOF' && ok "evidence sentences are at most 64 KiB" || bad "an evidence sentence over 64 KiB"
import json, sys
sys.exit(any(json.loads(l)['end'] - json.loads(l)['start'] > 65536 + 64 for l in open(sys.argv[1], encoding='utf-8')
             if json.loads(l)['doc'] == 'nopunct'))
EOF

# ---- 100,000 JSON lines, many documents in one file
python3 -c "
import sys
w = sys.stdout.buffer.write
for i in range(100000):
    w(b'{\"id\":\"m%d\",\"text\":\"Rockets injured %d soldiers in Ganja.\"}\n' % (i, i % 50 + 2) if i % 1000 else b'not json %d\n' % i)
" >"$d/many.jsonl"
run "$d/many.jsonl"
check "100,000 JSON lines: exit status 3 (100 bad lines)" rc_is 3
[ "$(err_lines)" -eq 100 ] && ok "100,000 JSON lines: 100 error lines" || bad "100,000 JSON lines: $(err_lines) error lines"
[ "$(grep -c . "$OUT")" -eq 99900 ] && ok "100,000 JSON lines: 99,900 claims" || bad "100,000 JSON lines: $(grep -c . "$OUT") claims"

finish
