#!/usr/bin/env bash
# Hostile figures and dates: numbers with 40 digits, "32 October",
# "2882015", impossible calendar days, negative and zero counts, exponents.
# Every claim that comes out has a sane interval and a real calendar date;
# impossible dates give no date at all (the claim itself still comes out).
. "$(dirname "$0")/lib.sh"

cat >"$TMP/n.txt" <<'EOF'
On 32 October shelling killed 4 civilians in Ganja, officials said.

On 2882015 rockets injured 6 people in Ganja.

On 30 February 2021 shelling killed 7 civilians in Ganja.

On 31 April 2021 shelling killed 8 civilians in Ganja.

On 29 February 2020 shelling killed 10 civilians in Ganja.

On 0 October 2020 shelling killed 12 civilians in Ganja.

On 2020-13-45 shelling killed 13 civilians in Ganja.

Shelling killed 1234567890123456789012345678901234567890 civilians in Ganja.

More than 9999999999999999999999999999999999999999 people were killed in Ganja.

Shelling killed 99,999,999,999,999,999,999,999,999,999,999,999,999 civilians in Ganja.

Shelling killed 1e308 civilians in Ganja.

Shelling killed -5 civilians in Ganja.

Shelling killed 0 civilians in Ganja.

Shelling killed 1.5.6.7 civilians in Ganja.

Shelling killed 12.000000000000000000000000000000000000001 civilians in Ganja.

Shelling killed between 10 and 5 civilians in Ganja.

Between 9223372036854775807 and 9223372036854775808 people were killed.

On 32/10/2020 and 10/32/2020 and 2020-02-30 shelling killed 14 civilians in Ganja.

Since 9999 BC and until 31 December 9999 shelling killed 15 civilians in Ganja.
EOF

run --published 2020-10-10 "$TMP/n.txt"
check "exit status 0" rc_is 0
check "no stderr" no_errors
check "output is JSON Lines with non-negative counts" output_is_jsonl
check '"32 October": the claim still comes out' has_claim n killed 4
check '"2882015": the claim still comes out' has_claim n injured 6
check '"29 February 2020" is a real day' has_claim n killed 10
python3 - "$OUT" <<'EOF' && ok "dates: only real calendar days, none from impossible ones" || bad "dates"
import datetime, json, sys
bad = 0
for line in open(sys.argv[1], encoding='utf-8'):
    v = json.loads(line)
    s = v['sentence']
    for k in ('date_start', 'date_end'):
        d = v[k]
        if d is None: continue
        p = [int(x) for x in d.split('-')]
        try:
            datetime.date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1)
        except ValueError:
            print('  not a date: %s in %r' % (d, s)); bad = 1
    for trap in ('32 October', '2882015', '2020-13-45', '0 October'):
        if trap in s and v['date_text'] and trap in v['date_text']:
            print('  %r read as a date: %s' % (trap, v['date_text'])); bad = 1
    lo, hi = v['count_low'], v['count_high']
    if lo is not None and hi is not None and lo > hi:
        print('  interval %s..%s in %r' % (lo, hi, s)); bad = 1
    for x in (lo, hi):
        if x is not None and x > 10**12:
            print('  absurd figure %s in %r' % (x, s)); bad = 1
sys.exit(bad)
EOF
run --published 2020-10-10 --timex "$TMP/n.txt"
check "--timex: exit status 0" rc_is 0
! grep -Eq '"value":"[0-9]{4}-(1[3-9]|[2-9][0-9]|00)' "$OUT" && ok "--timex: no month outside 1..12" || bad "--timex: a month outside 1..12"
! grep -Eq '"value":"[0-9]{4}-[0-9]{2}-(3[2-9]|[4-9][0-9]|00)' "$OUT" && ok "--timex: no day outside 1..31" || bad "--timex: a day outside 1..31"
! grep -q '"text":"32 October"\|"text":"2882015"' "$OUT" && ok "--timex: no date from 32 October or 2882015" || bad "--timex: an impossible date"
run --published 2020-10-10 --mentions "$TMP/n.txt"
check "--mentions: exit status 0" rc_is 0

# a long run of figures and dates, each a trap, in one document: still linear
python3 -c "
import sys
parts = [b'On 32 October %d shelling killed %d civilians.' % (1900 + i % 200, i) for i in range(1, 4000)]
parts += [b'%s civilians were killed.' % (b'9' * (i % 60 + 1)) for i in range(4000)]
sys.stdout.buffer.write(b'\n\n'.join(parts))" >"$TMP/many.txt"
run "$TMP/many.txt"
check "8,000 trap sentences: exit status 0" rc_is 0
check "8,000 trap sentences: valid output" output_is_jsonl

finish
