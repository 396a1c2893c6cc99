#!/bin/sh
# A development set of ../shared: `tally extract --lang LANG` on
# ../shared/dev/SET.jsonl scored against ../shared/gold/SET.jsonl. Passes when
# claims F1 >= MIN_F1 and field accuracy >= MIN_FIELDS: the world set (issue
# 12: 0.95 / 0.85) and the Russian set (issue 18: 0.90 / 0.80). Skips (exit
# 77) without ../shared.
#
# usage: dev_score.sh PATH/TO/tally SET LANG MIN_F1 MIN_FIELDS
set -u
src=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
tally=${1:-$src/build/tally}
set=${2:-ru-dev}
lang=${3:-ru}
min_f1=${4:-0.90}
min_fields=${5:-0.80}
shared=${TALLY_SHARED:-$src/../shared}
for f in dev/$set.jsonl gold/$set.jsonl gold/world-aliases.json score; do
  [ -f "$shared/$f" ] || { echo "skipped: $shared/$f not found"; exit 77; }
done
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 not found"; exit 77; }

pred=$(mktemp "${TMPDIR:-/tmp}/tally-ru.XXXXXX") || exit 1
trap 'rm -f "$pred"' EXIT INT TERM
"$tally" extract --lang "$lang" "$shared/dev/$set.jsonl" >"$pred" || { echo "FAIL: tally extract --lang $lang failed"; exit 1; }
python3 "$shared/score" "$shared/gold/$set.jsonl" "$pred" --aliases "$shared/gold/world-aliases.json" -v |
python3 -c '
import re, sys
text = sys.stdin.read()
sys.stdout.write(text)
m = re.findall(r"^claims P=\S+ R=\S+ F1=(\S+) fields=(\S+)", text, re.M)
if not m:
    sys.exit("FAIL: no claims line in the score output")
f1, fields = map(float, m[-1])
need_f1, need_fields = float(sys.argv[1]), float(sys.argv[2])
ok = f1 >= need_f1 and fields >= need_fields
print("%s: F1=%.3f (need %.3f), fields=%.3f (need %.3f)" % ("PASS" if ok else "FAIL", f1, need_f1, fields, need_fields))
sys.exit(0 if ok else 1)
' "$min_f1" "$min_fields"
