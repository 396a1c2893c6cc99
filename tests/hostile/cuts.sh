#!/usr/bin/env bash
# No claim lost at the 64 KiB sentence cut: a run with no sentence end is cut
# into pieces (docs/limits.md, "Longest sentence"), and a claim whose words
# straddle a cut is found in the bridge around it (src/api.c): every claim
# once, in text order, breakdowns pointing at their totals.
. "$(dirname "$0")/lib.sh"
d=$TMP/in
texts <<'EOF2'
w('run', '7 civilians were killed ' * 5462)              # 131 KB: two cuts, each inside a claim
w('verbfirst', 'killing 7 civilians and ' * 20000)        # 480 KB, the figure after its verb
w('parts', 'shelling killed 30 people including 7 children and ' * 3000)
w('short', 'Shelling killed 5 civilians in Ganja on Monday, officials said.\n')
# a cut right after a 30 KB word of two-byte letters: no space near it
word = '\u0443\u0431\u0438\u0442\u043e' * 3000
w('noword', ('7 civilians were killed ' * 2000 + word + ' ') * 2 + '8 civilians were killed')
EOF2
run "$d"
check "exit status 0" rc_is 0
check "every output line is JSON" output_is_jsonl
n=$(claims run); [ "$n" -eq 5462 ] && ok "'7 civilians were killed ' x 5,462: 5,462 claims" || bad "'7 civilians were killed ' x 5,462: $n claims"
n=$(claims verbfirst); [ "$n" -eq 20000 ] && ok "'killing 7 civilians and ' x 20,000: 20,000 claims" || bad "verb first: $n claims, want 20,000"
n=$(claims parts); [ "$n" -eq 6000 ] && ok "totals and breakdowns x 3,000: 6,000 claims" || bad "totals and breakdowns: $n claims, want 6,000"
check "the short document beside them" has_claim short killed 5
n=$(claims noword); [ "$n" -eq 4001 ] && ok "cuts after a 30 KB word with no space near: 4,001 claims" || bad "cuts after a long word: $n claims, want 4,001"
check "no error line" no_errors
python3 - "$OUT" <<'EOF2' && ok "each figure once, in text order; every breakdown's total is its own" || bad "claims doubled, out of order, or a breakdown without its total"
import json, sys
by = {}
for line in open(sys.argv[1], encoding='utf-8'):
    c = json.loads(line)
    by.setdefault(c['doc'], []).append(c)
bad = 0
for doc, step in (('run', 24), ('verbfirst', 24)):
    cs = [c['count_start'] for c in by[doc]]
    want = [step * i + (0 if doc == 'run' else 8) for i in range(len(cs))]
    if cs != want: print('  %s: the figures are not each once in order' % doc); bad += 1
parts = by['parts']
for c in parts:
    if c['count_low'] == 7:
        t = parts[c['part_of']] if c['part_of'] is not None else None
        if not t or t['count_low'] != 30 or not 0 < c['count_start'] - t['count_start'] < 40:
            print('  parts: the breakdown at byte %d has no total of its own' % c['count_start']); bad += 1; break
    elif c['part_of'] is not None: print('  parts: a total with a part_of'); bad += 1; break
sys.exit(1 if bad else 0)
EOF2
finish
