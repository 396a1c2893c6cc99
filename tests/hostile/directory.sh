#!/usr/bin/env bash
# One hostile directory (issue 17's acceptance): beside one good document,
# every kind of input that once hung, crashed, blew up or was lost, in one
# run of `tally extract DIR` with bounds small enough for a test: endless
# input behind a .jsonl name (named beside the directory), a document over --max-doc-bytes, one over
# --max-doc-memory, invalid UTF-8, a NUL byte, truncated gzip, JSON nested
# 100,000 deep, a run-on sentence with claims across its 64 KiB cuts. No
# crash, no hang, exit 3, each bad file named once with its byte offset, the
# good document's claim and the run-on text's claims out.
. "$(dirname "$0")/lib.sh"
d=$TMP/in
mkdir -p "$d"
good_doc "$d"
ln -s /dev/zero "$TMP/endless.jsonl" # a directory walk reads regular files only: named beside the directory
python3 - "$d" <<'EOF'
import gzip, sys
d = sys.argv[1]
def w(name, data):
    with open(d + '/' + name, 'wb') as f: f.write(data)
s = b'Shelling killed 5 civilians in Ganja on Monday, officials said. '
w('huge.txt', s * (3000000 // len(s)))                        # 3 MB: over --max-doc-bytes
w('hungry.txt', b'Rockets injured 4 soldiers in Barda. ' * 20000)  # 740 KB: over --max-doc-memory
w('badutf8.txt', s + b'\xff\xfe' + s)
w('nul.txt', s + b'\x00' + s)
g = gzip.compress(s * 300)
w('truncated.txt.gz', g[:len(g) // 2])
w('deep.jsonl', b'{"id":"deep","text":"x","meta":' + b'[' * 100000 + b']' * 100000 + b'}\n')
w('runon.txt', b'7 civilians were killed ' * 5462)              # two cuts, each through a claim
EOF
run --max-doc-bytes 1000000 --max-doc-memory 40000000 "$d" "$TMP/endless.jsonl"
check "exit status 3" rc_is 3
# a JSON line is named by its id when it has one ("deep"), a text file by its path
for f in endless.jsonl huge.txt hungry: badutf8.txt nul.txt truncated.txt.gz deep:; do
    check "$f: one error line with its byte offset" err_line "$f"
done
[ "$(err_lines)" -eq 7 ] && ok "seven error lines for seven bad inputs" || bad "$(err_lines) error lines, want 7"
check "the good document's claim" has_claim good killed 5
n=$(claims runon); [ "$n" -eq 5462 ] && ok "the run-on text: 5,462 claims" || bad "the run-on text: $n claims, want 5,462"
check "every output line is JSON" output_is_jsonl
finish
