#!/usr/bin/env python3
"""Compares two `tally extract` JSON Lines outputs of the same input: the
reference (--full) and the cue-first default (issue 16).

  compare.py FULL.jsonl DEFAULT.jsonl [--min-context 0.99] [--name NAME]

Claims are paired by document and evidence span (doc, start, end, count
span, outcome). Prints the figures and exits 1 unless every claim has the
same core (outcome, count_low, count_high, victims) in both, and at least
--min-context of the claims have the same claimant, place and date."""
import json, sys
from collections import Counter

def load(path):
    out = Counter()
    rows = {}
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        c = json.loads(line)
        core = (c["doc"], c["start"], c["end"], c.get("count_start"), c.get("count_end"),
                c["outcome"], c["count_low"], c["count_high"], c["victims"])
        ctx = (c.get("claimant"), c.get("place"), c.get("country"), c.get("date_start"), c.get("date_end"))
        out[core] += 1
        rows.setdefault(core, []).append(ctx)
    return out, rows

def main():
    args = sys.argv[1:]
    minctx = 0.99
    name = ""
    if "--min-context" in args:
        i = args.index("--min-context"); minctx = float(args[i + 1]); del args[i:i + 2]
    if "--name" in args:
        i = args.index("--name"); name = args[i + 1] + ": "; del args[i:i + 2]
    full, frows = load(args[0])
    dflt, drows = load(args[1])
    nfull = sum(full.values())
    missing = full - dflt
    extra = dflt - full
    same_ctx = 0
    diff = []
    for core, ctxs in frows.items():
        other = list(drows.get(core, []))
        for x in ctxs:
            if x in other:
                other.remove(x); same_ctx += 1
            else:
                diff.append((core, x, drows.get(core)))
    ratio = same_ctx / nfull if nfull else 1.0
    ok = not missing and not extra and ratio >= minctx
    print(f"{name}{nfull} claims (--full), {sum(dflt.values())} (default); core differs: "
          f"{sum(missing.values())} missing, {sum(extra.values())} extra; same claimant, place and date: "
          f"{same_ctx}/{nfull} = {ratio:.4f} (needs {minctx}) {'ok' if ok else 'FAIL'}")
    for k in list(missing)[:5]:
        print("  missing:", k)
    for k in list(extra)[:5]:
        print("  extra:  ", k)
    for core, x, y in diff[:8]:
        print("  context:", core[0], core[1], "full", x, "default", y)
    sys.exit(0 if ok else 1)

main()
