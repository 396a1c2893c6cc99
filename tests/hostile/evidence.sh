#!/usr/bin/env bash
# Bounded evidence: a claim's "sentence" (JSON Lines, TSV, the ledger) is its
# sentence when it is at most TALLY_EVIDENCE_MAX_BYTES (600) bytes, else a
# window around the figure and its outcome words cut at a clause boundary
# (", " "; " a dash), else at a space, with "…" at each cut; start/end stay
# the whole sentence. docs/limits.md, "Evidence".
. "$(dirname "$0")/lib.sh"
d=$TMP/in; mkdir -p "$d"
python3 - "$d" <<'EOF'
import sys
d = sys.argv[1]
filler = 'the convoy moved slowly along the road near the river'
# a long sentence with clauses: the claim in the middle
clauses = ', '.join([filler] * 12)
with open(d + '/clauses.txt', 'w') as f:
    f.write('Witnesses said ' + clauses + ', and shelling killed 23 civilians in Barda on Monday, ' + clauses + '.\n')
# a long sentence with no punctuation at all: word boundaries
words = ' '.join([filler] * 12)
with open(d + '/words.txt', 'w') as f:
    f.write('Witnesses said ' + words + ' and shelling killed 24 civilians in Barda on Monday ' + words + '.\n')
# a long sentence, the claim at its very start
with open(d + '/early.txt', 'w') as f:
    f.write('Shelling killed 25 civilians in Barda, ' + clauses + '.\n')
# a short sentence: the whole sentence, byte for byte
with open(d + '/short.txt', 'w') as f:
    f.write('Shelling killed 26 civilians in Barda on Monday, officials said.\n')
EOF

run "$d"
check "exit status 0" rc_is 0
check "every output line is JSON" output_is_jsonl
python3 - "$OUT" "$d" <<'EOF' && ok "evidence windows: bounded, around the claim, cut at boundaries" || bad "evidence windows"
import json, sys
out, d = sys.argv[1], sys.argv[2]
MARK = '\u2026'
fails = 0
def fail(msg):
    global fails
    print('  ' + msg); fails += 1
seen = {}
for line in open(out, encoding='utf-8'):
    c = json.loads(line)
    text = open('%s/%s.txt' % (d, c['doc']), 'rb').read()
    sent = text[c['start']:c['end']]
    ev = c['sentence']
    evb = ev.encode()
    seen[c['doc']] = c['count_low']
    if len(sent) <= 600:
        if evb != sent: fail('%s: a short sentence is not the whole sentence' % c['doc'])
        continue
    if len(evb) > 600: fail('%s: evidence of %d bytes' % (c['doc'], len(evb)))
    if c['end'] - c['start'] <= 600: fail('%s: start/end are not the whole sentence' % c['doc'])
    pre, post = ev.startswith(MARK), ev.endswith(MARK)
    core = ev[1 if pre else 0:len(ev) - (1 if post else 0)].encode()
    at = sent.find(core)
    if at < 0: fail('%s: the window is not a piece of the sentence' % c['doc']); continue
    if pre != (at > 0) or post != (at + len(core) < len(sent)):
        fail('%s: a mark where there is no cut, or a cut with no mark' % c['doc'])
    if str(c['count_low']).encode() not in core or b'killed' not in core:
        fail('%s: the figure or the outcome word is not in the window' % c['doc'])
    before = sent[:at]
    after = sent[at + len(core):]
    if c['doc'] == 'clauses':
        if pre and not before.endswith(b', '): fail('clauses: the left cut is not at a clause start: %r' % before[-10:])
        if post and not after.startswith(b','): fail('clauses: the right cut is not at a clause end: %r' % after[:10])
    if c['doc'] == 'words':
        if pre and not before.endswith(b' '): fail('words: the left cut is inside a word')
        if post and not after.startswith(b' '): fail('words: the right cut is inside a word')
    if c['doc'] == 'early':
        if pre: fail('early: a cut before a claim at the sentence start')
        if len(evb) < 500: fail('early: the window does not use its bytes (%d)' % len(evb))
for doc, n in (('clauses', 23), ('words', 24), ('early', 25), ('short', 26)):
    if seen.get(doc) != n: fail('%s: no claim of %d' % (doc, n))
sys.exit(1 if fails else 0)
EOF

# TSV: the same evidence in its last column
RUN_N=$((RUN_N + 1)); TSV=$TMP/out.$RUN_N
"$TALLY" extract --format tsv "$d" >"$TSV" 2>/dev/null
python3 - "$OUT" "$TSV" <<'EOF' && ok "TSV: the same evidence as JSON Lines" || bad "TSV evidence differs from JSON Lines"
import json, sys
js = [json.loads(l)['sentence'] for l in open(sys.argv[1], encoding='utf-8')]
rows = open(sys.argv[2], encoding='utf-8').read().splitlines()
col = rows[0].split('\t').index('sentence')
ts = [r.split('\t')[col] for r in rows[1:]]
sys.exit(0 if ts == js else 1)
EOF

# the ledger stores the same bounded evidence
db=$TMP/ev.db
if timeout "$TIMEOUT" "$TALLY" ingest -q --db "$db" "$d" 2>"$TMP/ingest.err"; then
    "$TALLY" claims --db "$db" --json >"$TMP/claims.json" 2>/dev/null
    python3 - "$OUT" "$TMP/claims.json" <<'EOF' && ok "ledger: the stored sentence is the bounded evidence" || bad "ledger: stored sentences differ"
import json, sys
want = sorted(json.loads(l)['sentence'] for l in open(sys.argv[1], encoding='utf-8'))
got = []
for l in open(sys.argv[2], encoding='utf-8'):
    l = l.strip()
    if l: got.append(json.loads(l)['sentence'])
got.sort()
if got != want: print('  got %d sentences, want %d' % (len(got), len(want)))
sys.exit(0 if got == want else 1)
EOF
else
    bad "ledger: ingest failed: $(head -2 "$TMP/ingest.err")"
fi
finish
