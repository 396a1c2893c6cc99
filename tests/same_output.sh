#!/usr/bin/env bash
# Checks that two tally binaries give byte-identical output: the guard for a
# change that must not change behaviour (a refactor, a speed-up).
#
#   bash tests/same_output.sh OLD_TALLY NEW_TALLY [WORKDIR]
#
# Each binary reads its own gazetteer (TALLY_GAZETTEER_OLD / TALLY_GAZETTEER_NEW,
# default: data/gazetteer.bin beside the binary). The inputs: examples/, the
# texts of tests/spec/*.spec, and from ../shared (when present) the seeds, the
# corpus, the world and Russian development sets, and TempEval-3 (--timex).
# Prints one line per input and exits 1 if any differs.
set -uo pipefail
old=${1:?usage: same_output.sh OLD_TALLY NEW_TALLY [WORKDIR]}
new=${2:?usage: same_output.sh OLD_TALLY NEW_TALLY [WORKDIR]}
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${TALLY_SHARED:-$src/../shared}
work=${3:-$(mktemp -d "${TMPDIR:-/tmp}/tally-same.XXXXXX")}
mkdir -p "$work"
gaz_old=${TALLY_GAZETTEER_OLD:-$(dirname "$old")/data/gazetteer.bin}
gaz_new=${TALLY_GAZETTEER_NEW:-$(dirname "$new")/data/gazetteer.bin}

# the spec texts as JSON Lines (id = case name, text, published)
python3 - "$src"/tests/spec/*.spec > "$work/spec.jsonl" <<'PY'
import json, sys
for path in sys.argv[1:]:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("=== "): i += 1; continue
        name = lines[i][4:].strip(); pub = None; i += 1
        while i < len(lines) and lines[i] != "text:":
            if lines[i].startswith("published:"): pub = lines[i].split(":", 1)[1].strip()
            i += 1
        i += 1; body = []
        while i < len(lines) and not (lines[i] in ("claims:", "not:", "none") or lines[i].startswith("xfail:") or lines[i].startswith("=== ")):
            body.append(lines[i]); i += 1
        while body and body[-1] == "": body.pop()
        d = {"id": path.rsplit("/", 1)[-1] + ":" + name, "text": "\n".join(body)}
        if pub: d["published"] = pub
        print(json.dumps(d, ensure_ascii=False))
PY

fail=0
run() {  # NAME ARGS...: run both binaries, compare
  local name=$1; shift
  TALLY_GAZETTEER=$gaz_old "$old" "$@" > "$work/$name.old" 2> "$work/$name.old.err"; local r1=$?
  TALLY_GAZETTEER=$gaz_new "$new" "$@" > "$work/$name.new" 2> "$work/$name.new.err"; local r2=$?
  if [ $r1 -ne $r2 ] || ! cmp -s "$work/$name.old" "$work/$name.new"; then
    echo "DIFFERS  $name (exit $r1 vs $r2; diff $work/$name.old $work/$name.new)"; fail=1
  else
    echo "same     $name ($(wc -l < "$work/$name.new") lines)"
  fi
}
run examples extract "$src/examples/"
run examples-mentions extract --mentions "$src/examples/"
run spec extract "$work/spec.jsonl"
run spec-tsv extract --format tsv "$work/spec.jsonl"
if [ -d "$shared" ]; then
  [ -f "$shared/seeds/seeds.jsonl" ] && run seeds extract "$shared/seeds/seeds.jsonl"
  for f in "$shared"/corpus/*.jsonl "$shared"/dev/*.jsonl; do
    [ -f "$f" ] && run "$(basename "$f" .jsonl)" extract "$f"
  done
  [ -f "$shared/corpus/dailymail-2020-violence.jsonl" ] && run corpus-mentions extract --mentions "$shared/corpus/dailymail-2020-violence.jsonl"
  for s in tbaq platinum; do
    f=$shared/bench/tempeval3/$s-docs.jsonl
    [ -f "$f" ] && run "timex-$s" extract --timex "$f"
  done
else
  echo "same_output: $shared not found; only the project's own inputs compared"
fi
[ $fail -eq 0 ] && echo "same_output: identical" || echo "same_output: outputs differ"
exit $fail
