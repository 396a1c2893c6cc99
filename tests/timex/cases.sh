#!/bin/sh
# Runs the cases of cases.tsv (published, text, expected expressions)
# through `tally extract --timex` and fails on the first mismatch of extent,
# type or value. Skips (77) without python3.
#
# usage: cases.sh [PATH/TO/tally]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${TALLY_SOURCE_DIR:-$(dirname "$(dirname "$here")")}
tally=${1:-$src/build/tally}
command -v python3 >/dev/null 2>&1 || { echo "skipped: python3 not found"; exit 77; }
exec python3 - "$tally" "$here/cases.tsv" <<'PY'
import json, subprocess, sys
tally, path = sys.argv[1], sys.argv[2]
cases, docs = [], []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    f = line.split("\t")
    if len(f) < 2:
        sys.exit(f"cases.tsv:{n}: expected published<TAB>text<TAB>expected")
    exp = [tuple(x.strip().split("|")) for x in f[2].split(" ; ")] if len(f) > 2 and f[2].strip() else []
    cases.append((n, f[0], f[1], exp))
    docs.append(json.dumps({"id": f"c{n}", "published": f[0], "text": f[1]}))
r = subprocess.run([tally, "extract", "--timex", "-"], input="\n".join(docs) + "\n",
                   capture_output=True, text=True)
if r.returncode != 0:
    sys.exit(f"FAIL: tally exited with {r.returncode}: {r.stderr}")
got = {}
for line in r.stdout.splitlines():
    if line.strip():
        o = json.loads(line)
        got.setdefault(o["doc"], []).append((o["text"], o["type"], o["value"]))
fail = 0
for n, pub, text, exp in cases:
    g = got.get(f"c{n}", [])
    if g != exp:
        fail += 1
        print(f"FAIL cases.tsv:{n}: {text!r} ({pub})\n  expected {exp}\n  got      {g}")
print(f"{len(cases) - fail} passed, {fail} failed")
sys.exit(1 if fail else 0)
PY
