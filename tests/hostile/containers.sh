#!/usr/bin/env bash
# Hostile containers: truncated and trailing-garbage gzip, truncated and
# malformed WARC (plain and gzipped), JSON Lines whose lines are not objects
# or nest 100,000 deep, lone surrogate escapes, HTML with 100,000 nested tags
# or an unclosed comment. Good documents in the same files and the same run
# still produce their claims; each bad one is one error line with an offset.
. "$(dirname "$0")/lib.sh"

d=$TMP/in
mkdir "$d"
good_doc "$d"
python3 - "$d" <<'EOF'
import gzip, sys
d = sys.argv[1]
def w(name, data):
    with open(d + '/' + name, 'wb') as f: f.write(data)

# ---- gzip
text = b'Shelling killed 21 civilians in Ganja on Monday, officials said.\n'
g = gzip.compress(text * 300)
w('gz-truncated.txt.gz', g[:len(g) // 2])
w('gz-trailing.txt.gz', gzip.compress(text) + b'not gzip at all')
w('gz-ok.txt.gz', gzip.compress(text))
w('gz-corrupt.txt.gz', g[:20] + bytes(b ^ 0x55 for b in g[20:60]) + g[60:])
w('gz-header-only.txt.gz', g[:10])

# ---- WARC
def rec(i, body, typ=b'conversion', ctype=b'text/plain'):
    h = (b'WARC/1.0\r\nWARC-Type: ' + typ + b'\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n'
         b'WARC-Date: 2021-05-02T09:00:00Z\r\nContent-Type: ' + ctype + b'\r\nContent-Length: %d\r\n\r\n') % (i, len(body))
    return h + body + b'\r\n\r\n'
def http(body, ctype=b'text/html'):
    return b'HTTP/1.1 200 OK\r\nContent-Type: ' + ctype + b'\r\n\r\n' + body
r1 = rec(1, b'Shelling killed 22 civilians in Ganja on Monday, officials said.\n')
r2 = rec(2, http(b'<html><body><p>Rockets injured 23 soldiers in Ganja, the ministry said.</p></body></html>'),
         b'response', b'application/http; msgtype=response')
r3 = rec(3, b'Shelling killed 24 civilians in Ganja, officials said.\n' * 50)
r4 = rec(4, b'Rockets injured 25 people in Ganja, officials said.\n')
w('warc-truncated.warc', r1 + r2 + r3[:len(r3) // 2])
w('warc-garbage.warc', r1 + b'this is not a WARC header\r\nnor is this\r\n' + r4)
w('warc-badlen.warc', r1 + r3.replace(b'Content-Length: ', b'Content-Length: -') + r4)
w('warc-hugeheader.warc', r1 + b'WARC/1.0\r\nX-Long: ' + b'a' * (2 << 20) + b'\r\n\r\n' + r4)
w('warc-badhttp.warc', r1 + rec(5, b'HTTP/1.1 banana\r\n\r\n<p>x</p>', b'response', b'application/http; msgtype=response') + r4)
z = b''.join(gzip.compress(r) for r in (r1, r2, r3))
w('warcgz-truncated.warc.gz', z[:len(z) - 40])
w('warcgz-onemember.warc.gz', gzip.compress(r1 + r4)[:-30])
w('warc-empty.warc', b'')

# ---- JSON Lines
lines = [
    b'{"id":"j-ok1","text":"Shelling killed 31 civilians in Ganja."}',
    b'{"a":' * 100000 + b'1' + b'}' * 100000,
    b'[' * 100000 + b']' * 100000,
    b'{"id":"j-deeptext","x":' + b'[' * 100000 + b']' * 100000 + b',"text":"Rockets injured 1 person."}',
    b'3', b'"text"', b'null', b'[{"text":"Rockets injured 2 people."}]', b'true',
    b'{"id":"j-notext","title":"no text member"}',
    b'{"id":"j-textnum","text":5}',
    b'{"id":"j-trailing","text":"x",}',
    b'{"id":"j-ctl","text":"raw \x01 control"}',
    b'{"id":"j-nul","text":"a \\u0000 b"}',
    b'{"id":"j-rawsur","text":"raw \xed\xa0\x80 surrogate"}',
    b'{"id":"j-unterminated","text":"Shelling killed',
    b'',
    b'{"id":"j-lonesur","text":"Shelling killed 32 civilians \\ud800 in Ganja \\udfff\\udbff."}',
    b'{"id":"j-pair","text":"\\ud83d\\udca3 Rockets injured 33 people in Ganja."}',
    b'   ',
    b'{"id":"j-ok2","text":"Rockets injured 34 soldiers in Ganja."}',
]
w('lines.jsonl', b'\xef\xbb\xbf' + b'\r\n'.join(lines) + b'\r\n')

# ---- HTML
w('html-deep.html', b'<html><body><p>Shelling killed 41 civilians.</p>' + b'<div>' * 100000 +
  b'Rockets injured 3 people.' + b'</div>' * 100000 + b'</body></html>')
w('html-deep-span.html', b'<html><body>' + b'<span><b><i>' * 40000 + b'x' + b'</i></b></span>' * 40000 + b'</body></html>')
w('html-deep-p.html', b'<html><body>' + b'<p>' * 100000 + b'Shelling killed 42 civilians in Ganja.</body></html>')
w('html-comment.html', b'<html><body><p>Shelling killed 43 civilians in Ganja.</p><!-- never closed <p>Rockets '
  b'injured 3 people.</p>' + b'x' * 100000 + b'</body></html>')
w('html-comment-only.html', b'<!doctype html><html><body><!-- <p>Rockets injured 3 people.</p></body></html>')
w('html-unclosed-tags.html', b'<html><body><p>Rockets injured 44 soldiers in Ganja.<div><table><tr><td><b')
w('html-script.html', b'<html><body><script>' + b'var a = "<div>";' * 10000 + b'</body></html>')
w('html-attrs.html', b'<html><body><p ' + b'a="b" ' * 100000 + b'>Shelling killed 45 civilians in Ganja.</p></body></html>')
EOF

run "$d"
check "exit status 3" rc_is 3
check "output is JSON Lines" output_is_jsonl
check "good plain text still extracted" has_claim good killed 5
check "gzip: a good member extracted" has_claim gz-ok killed 21
for f in gz-truncated.txt.gz gz-trailing.txt.gz gz-corrupt.txt.gz gz-header-only.txt.gz; do
    check "$f: one error line with a byte offset" err_line "/$f:"
done
grep -F "/gz-truncated.txt.gz:" "$ERR" | grep -q gzip && ok "truncated gzip says gzip" || bad "truncated gzip message"

U=urn:uuid:00000000-0000-4000-8000-00000000000
check "WARC: record 1 before the damage" has_claim ${U}1 killed 22
check "WARC: HTTP/HTML record before the damage" has_claim ${U}2 injured 23
check "WARC: record after garbage still read" has_claim ${U}4 injured 25
[ "$(claims ${U}1)" -eq 7 ] && ok "WARC: record 1 once in each of 7 non-empty files" || bad "record 1: $(claims ${U}1) claims, want 7"
[ "$(claims ${U}4)" -eq 4 ] && ok "WARC: record 4 after each of 4 kinds of damage" || bad "record 4: $(claims ${U}4) claims, want 4"
check "truncated WARC: error names the record" err_line "${U}3: truncated WARC"
grep -q "${U}3: truncated gzip" "$ERR" && ok "truncated .warc.gz names the record" || bad "truncated .warc.gz error"
check "WARC garbage: one error line" err_line "/warc-garbage.warc:"
grep -q "bad Content-Length" "$ERR" && ok "bad Content-Length reported" || bad "bad Content-Length not reported"
check "WARC huge header: one error line" err_line "/warc-hugeheader.warc:"
grep -q "${U}5" "$ERR" && ok "malformed HTTP in a record reported" || bad "malformed HTTP not reported"
check "one-member .warc.gz cut short: one error line naming the record" err_line "${U}4: truncated gzip"
check "empty WARC file: one error line" err_line "/warc-empty.warc:"

for j in j-ok1 j-lonesur j-pair j-ok2; do
    [ "$(claims $j)" -ge 1 ] && ok "JSONL: $j extracted" || bad "JSONL: $j missing"
done
fffd=$(printf '\xef\xbf\xbd')
check "JSONL: lone surrogate escapes become U+FFFD" grep -qF "civilians $fffd in Ganja $fffd$fffd." "$OUT"
for l in 2 3 5 6 7 8 9 15; do
    check "JSONL line $l (not an object / too deep): one error line" err_line "lines.jsonl:$l:"
done
check "JSONL: 100,000 nested objects rejected as too deep" grep -q 'lines.jsonl:2:.*deeper' "$ERR"
check "JSONL: a raw surrogate in a string is invalid UTF-8" grep -q 'lines.jsonl:15:.*UTF-8' "$ERR"
for j in j-deeptext j-notext j-textnum j-trailing j-ctl j-nul j-unterminated; do
    check "JSONL: $j one error line" err_line "$j:"
done
! grep -q 'lines.jsonl:\(17\|20\):' "$ERR" && ok "JSONL: blank lines are not errors" || bad "blank line reported"

check "HTML 100,000 nested divs: one error line" err_line "/html-deep.html:"
grep -F "/html-deep.html:" "$ERR" | grep -q 'deeper' && ok "HTML depth limit named" || bad "HTML depth message"
check "HTML 40,000 nested inline elements: one error line" err_line "/html-deep-span.html:"
check "HTML 100,000 unclosed <p>: read (p does not nest)" has_claim html-deep-p killed 42
check "HTML unclosed comment: text before it extracted" has_claim html-comment killed 43
! grep -q '"doc":"html-comment".*"injured"' "$OUT" && ok "HTML unclosed comment hides the rest" || bad "text inside an unclosed comment extracted"
check "HTML comment only: one error line" err_line "/html-comment-only.html:"
check "HTML unclosed tags at EOF: extracted" has_claim html-unclosed-tags injured 44
check "HTML script only: one error line" err_line "/html-script.html:"
check "HTML 100,000 attributes: extracted" has_claim html-attrs killed 45

# 4 gzip, 8 WARC, 8 JSONL lines without an id + 7 with one, 2 deep HTML,
# comment-only, script-only
nbad=$((4 + 8 + 8 + 7 + 2 + 2))
[ "$(err_lines)" -eq $nbad ] && ok "one error line for each of the $nbad bad documents" || bad "$(err_lines) error lines, want $nbad"
! grep -v -E 'byte [0-9]+' "$ERR" | grep -q . && ok "every error line has a byte offset" || {
    bad "error lines without a byte offset:"; grep -v -E 'byte [0-9]+' "$ERR" | sed 's/^/    /'; }

finish
