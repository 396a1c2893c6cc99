#!/usr/bin/env bash
# Issue 7, the extractor's figures, each beside its target (never fails on a
# target):
#  - speed: ../shared/corpus repeated to >= BENCH_MB (200) MB of JSON Lines;
#    `tally extract` -j 1 and -j 2 beside `wc -w` over the same file, MB/s
#    and ratios; the -j 2 output compared with the -j 1 output; the
#    whole-document pipeline (--full) beside the cue-first default, and their
#    claims compared (tests/speed/compare.py);
#  - compromise (npm, with compromise-numbers and compromise-dates, installed
#    into .deps/npm on first use) over the first COMPROMISE_KB (200) KB of
#    the corpus, beside tally over the same slice;
#  - memory: peak RSS (/usr/bin/time -v) on one tiny document (the lexicon
#    and gazetteer tables), on 10 MB and on 100 MB of generated news-like
#    documents -- on 1 GB with BENCH_BIG=1 (about 4-5 minutes a run today).
#
#   TALLY=build/tally bash bench/extract.sh
#   BENCH_BIG=1 BENCH_MB=400 TALLY=build/tally bash bench/extract.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
tally=${TALLY:-$src/build/tally}
shared=${TALLY_SHARED:-$src/../shared}
corpus=$shared/corpus
deps=$src/.deps/npm
mb=${BENCH_MB:-200}
ckb=${COMPROMISE_KB:-200}
big_mb=100
[ "${BENCH_BIG:-0}" = 1 ] && big_mb=1000
export LC_ALL=C.UTF-8
if [ -z "${TALLY_GAZETTEER:-}" ] && [ -f "$(dirname "$tally")/data/gazetteer.bin" ]; then
  export TALLY_GAZETTEER=$(dirname "$tally")/data/gazetteer.bin
fi

if [ ! -x "$tally" ]; then echo "extract bench: $tally not built, skipped"; exit 0; fi
if [ ! -x /usr/bin/time ]; then echo "extract bench: /usr/bin/time missing (Debian package time), skipped"; exit 0; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-extract-bench.XXXXXX") || exit 0
trap 'rm -rf "$tmp"' EXIT INT TERM

# timed OUT CMD...: runs CMD with stdout to OUT; sets secs (wall clock),
# cpu (user + system seconds: the figure that holds on a shared machine) and rss_kb
secs=0 cpu=0 rss_kb=0 rc=0
timed() {
  local out=$1
  shift
  /usr/bin/time -v -o "$tmp/time" "$@" >"$out" 2>"$tmp/stderr"
  rc=$?
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$tmp/time")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
  cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$tmp/time")
  [ -n "$secs" ] || secs=0
  [ -n "$cpu" ] || cpu=0
  [ -n "$rss_kb" ] || rss_kb=0
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) print "-"; else printf "%.2f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0 || a == "-" || b == "-") print "-"; else printf "%.3g", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { m = k / 1024; if (m < 0.05 && m > -0.05) m = 0; printf "%.1f", m }'; }

echo "machine: $(nproc) cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo)"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (figures are indicative when it is not ~0)"
echo "tally: $("$tally" version 2>/dev/null | head -n 1)"
echo

# ------------------------------------------------------------------ speed
if ls "$corpus"/*.jsonl >/dev/null 2>&1; then
  cat "$corpus"/*.jsonl >"$tmp/once.jsonl"
  once=$(wc -c <"$tmp/once.jsonl")
  reps=$(( (mb * 1000000 + once - 1) / once ))
  for ((i = 0; i < reps; i++)); do cat "$tmp/once.jsonl"; done >"$tmp/big.jsonl"
  bytes=$(wc -c <"$tmp/big.jsonl")
  docs=$(wc -l <"$tmp/big.jsonl")
  echo "speed: ../shared/corpus ($once bytes) x $reps = $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $docs documents"
  cat "$tmp/big.jsonl" >/dev/null # into the page cache, for every run alike

  timed /dev/null wc -w "$tmp/big.jsonl"
  wc_s=$secs wc_mbps=$(mbps "$bytes" "$secs") wc_cpu=$cpu wc_cmbps=$(mbps "$bytes" "$cpu")
  timed "$tmp/j1.out" "$tally" extract -j 1 "$tmp/big.jsonl"
  j1_s=$secs j1_mbps=$(mbps "$bytes" "$secs") j1_rc=$rc j1_rss=$rss_kb j1_cpu=$cpu j1_cmbps=$(mbps "$bytes" "$cpu")
  timed "$tmp/j2.out" "$tally" extract -j 2 "$tmp/big.jsonl"
  j2_s=$secs j2_mbps=$(mbps "$bytes" "$secs") j2_rc=$rc j2_rss=$rss_kb
  # the whole-document pipeline, the reference of the cue-first default (issue 16)
  timed "$tmp/full.out" "$tally" extract -j 1 --full "$tmp/big.jsonl"
  full_s=$secs full_mbps=$(mbps "$bytes" "$secs") full_rc=$rc full_rss=$rss_kb full_cpu=$cpu full_cmbps=$(mbps "$bytes" "$cpu")
  same=no
  [ "$j1_rc" = "$j2_rc" ] && cmp -s "$tmp/j1.out" "$tmp/j2.out" && same=yes
  claims=$(wc -l <"$tmp/j1.out")
  vs_full="-"
  if command -v python3 >/dev/null 2>&1; then
    vs_full=$(python3 "$src/tests/speed/compare.py" "$tmp/full.out" "$tmp/j1.out" --name "default vs --full" 2>&1 | head -n 1)
  fi
  rm -f "$tmp/j1.out" "$tmp/j2.out" "$tmp/full.out"

  echo "  (wall clock; then CPU seconds, user + system, and MB a CPU second: on a busy machine the CPU figures hold)"
  printf '  %-16s %8s s %9s MB/s   cpu %6s s %9s MB/s\n' "wc -w" "$wc_s" "$wc_mbps" "$wc_cpu" "$wc_cmbps"
  printf '  %-16s %8s s %9s MB/s   cpu %6s s %9s MB/s   target >= 100 MB/s a core; %s x wc -w (cpu: %s; target >= 0.3); peak RSS %s MiB; exit %s\n' \
    "tally -j 1" "$j1_s" "$j1_mbps" "$j1_cpu" "$j1_cmbps" "$(ratio "$j1_mbps" "$wc_mbps")" "$(ratio "$j1_cmbps" "$wc_cmbps")" "$(mib "$j1_rss")" "$j1_rc"
  printf '  %-16s %8s s %9s MB/s   speed-up %s x over -j 1 (target >= 1.8 on 2 cores); peak RSS %s MiB; exit %s\n' \
    "tally -j 2" "$j2_s" "$j2_mbps" "$(ratio "$j2_mbps" "$j1_mbps")" "$(mib "$j2_rss")" "$j2_rc"
  printf '  %-16s %8s s %9s MB/s   cpu %6s s %9s MB/s   the whole-document reference; the default is %s x faster (cpu: %s); peak RSS %s MiB; exit %s\n' \
    "tally --full" "$full_s" "$full_mbps" "$full_cpu" "$full_cmbps" "$(ratio "$j1_mbps" "$full_mbps")" "$(ratio "$j1_cmbps" "$full_cmbps")" "$(mib "$full_rss")" "$full_rc"
  echo "  claims: $claims; -j 2 output identical to -j 1: $same"
  echo "  $vs_full"
else
  echo "speed: $corpus not found, skipped"
fi
# general news (TempEval-3 TBAQ x 5): most documents have no outcome word and
# end at the cue scan in the default
tbaq=$shared/bench/tempeval3/tbaq-docs.jsonl
if [ -f "$tbaq" ]; then
  for ((i = 0; i < 5; i++)); do cat "$tbaq"; done >"$tmp/tbaq.jsonl"
  tbytes=$(wc -c <"$tmp/tbaq.jsonl")
  timed /dev/null "$tally" extract "$tmp/tbaq.jsonl"
  t_cpu=$cpu t_cmbps=$(mbps "$tbytes" "$cpu")
  timed /dev/null "$tally" extract --full "$tmp/tbaq.jsonl"
  echo "general news (TBAQ x 5, $(awk -v b="$tbytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB): cpu $t_cpu s, $t_cmbps MB/s (default); cpu $cpu s, $(mbps "$tbytes" "$cpu") MB/s (--full); with start-up"
  rm -f "$tmp/tbaq.jsonl"
fi
echo

# ------------------------------------------------------------------ compromise
comp_ok=0
if command -v node >/dev/null 2>&1 && ls "$corpus"/*.jsonl >/dev/null 2>&1; then
  if [ ! -f "$deps/node_modules/compromise-dates/package.json" ] && command -v npm >/dev/null 2>&1; then
    echo "installing compromise, compromise-numbers, compromise-dates into $deps ..."
    mkdir -p "$deps"
    timeout 300 npm install --silent --no-audit --no-fund --prefix "$deps" \
      compromise compromise-numbers compromise-dates >"$tmp/npm.log" 2>&1 ||
      echo "npm install failed: $(tail -n 3 "$tmp/npm.log")"
  fi
  [ -f "$deps/node_modules/compromise/package.json" ] && comp_ok=1
fi
if [ $comp_ok = 1 ]; then
  # whole lines only, the first COMPROMISE_KB KB
  cat "$corpus"/*.jsonl | head -c $((ckb * 1000)) | sed '$d' >"$tmp/slice.jsonl"
  sbytes=$(wc -c <"$tmp/slice.jsonl")
  line=$(timeout 1200 node "$here/compromise.mjs" "$deps" "$tmp/slice.jsonl" 2>"$tmp/node.err")
  if [ -n "$line" ]; then
    tbytes=$(echo "$line" | sed -n 's/.* bytes=\([0-9]*\).*/\1/p')
    csecs=$(echo "$line" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
    c_mbps=$(awk -v b="$tbytes" -v s="$csecs" 'BEGIN { if (s <= 0) print "-"; else printf "%.4f", b / 1e6 / s }')
    timed /dev/null "$tally" extract "$tmp/slice.jsonl"
    s_mbps=$(mbps "$sbytes" "$secs")
    echo "compromise: $(echo "$line" | cut -d' ' -f1-2) over $sbytes bytes of the corpus ($(echo "$line" | sed -n 's/.* docs=\([0-9]*\).*/\1/p') documents, $(echo "$line" | sed 's/.*plugins=//'))"
    printf '  %-16s %8s s %9s MB/s   (text only, parse + numbers + dates, in process: no start-up counted)\n' compromise "$csecs" "$c_mbps"
    printf '  %-16s %8s s %9s MB/s   (the same slice, whole process with start-up)\n' "tally -j 1" "$secs" "$s_mbps"
    if [ -n "${j1_mbps:-}" ]; then
      echo "  tally -j 1 on the ${mb} MB file is $(ratio "$j1_mbps" "$c_mbps") x compromise (tally/compromise MB/s)"
    else
      echo "  tally -j 1 is $(ratio "$s_mbps" "$c_mbps") x compromise on the slice"
    fi
  else
    echo "compromise: failed: $(head -c 300 "$tmp/node.err")"
  fi
else
  echo "compromise: not available"
fi
echo

# ------------------------------------------------------------------ memory
# gen MB SEED: synthetic news-like documents (JSON Lines), MB megabytes
gen() {
  awk -v BYTES="$(($1 * 1000000))" -v SEED="$2" '
function pick(a, n) { return a[int(rand() * n) + 1] }
function num() { r = rand(); if (r < 0.5) return int(rand() * 20) + 1; if (r < 0.8) return int(rand() * 300) + 1; return pick(W, nw) }
function cap(s) { return toupper(substr(s, 1, 1)) substr(s, 2) }
function sentence(   r) {
  r = rand()
  if (r < 0.03) return sprintf("%s said %s %s were killed and %d injured when %s hit %s on %s.", pick(C, nc), num(), pick(V, nv), int(rand() * 40), pick(A, na), pick(P, np), pick(D, nd))
  if (r < 0.05) return sprintf("According to %s, at least %d %s have died in %s since %s.", pick(C, nc), int(rand() * 5000) + 10, pick(V, nv), pick(P, np), pick(M, nm))
  if (r < 0.07) return sprintf("%s %s %s in %s on %s, %s said.", cap(pick(A, na)), pick(K, nk), num() " " pick(V, nv), pick(P, np), pick(D, nd), pick(C, nc))
  if (r < 0.09) return sprintf("The %s in %s rose to %d, officials told reporters on %s.", pick(T, nt), pick(P, np), int(rand() * 900) + 1, pick(D, nd))
  if (r < 0.25) return sprintf("%s said on %s that %s %s.", pick(C, nc), pick(D, nd), pick(S, ns), pick(P, np))
  return pick(F, nf)
}
BEGIN {
  srand(SEED)
  nc = split("The Ministry of Defence|Local officials|The health ministry|The Red Cross|A police spokesman|The UN human rights office|Amnesty International|The prosecutor'"'"'s office|State media|Witnesses|The governor|Hospital sources", C, "|")
  nv = split("civilians|soldiers|people|children|fighters|residents|police officers|women", V, "|")
  na = split("a missile|artillery shelling|an airstrike|a drone|a car bomb|rocket fire|a suicide bomber|cluster munitions", A, "|")
  np = split("Ganja|Barda|Stepanakert|Kharkiv|Gaza|Idlib|Hodeidah|Mariupol|Aleppo|Donetsk|Kabul|Mosul|the capital|a village near the border", P, "|")
  nd = split("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|4 October|October 11|last week|Sunday night", D, "|")
  nm = split("September|the start of the war|January|the ceasefire|27 September", M, "|")
  nk = split("killed|wounded|injured|left dead", K, "|")
  nt = split("death toll|number of injured|toll", T, "|")
  nw = split("two|three|five|dozens of|more than 100|about 40|hundreds of|a dozen|nine|eleven", W, "|")
  ns = split("new elections would be held in|the curfew would be lifted in|talks would continue in|the border crossing would reopen near|repairs to the power grid had begun in", S, "|")
  nf = split("The government has denied the allegations and called for an independent inquiry.|Markets fell sharply after the announcement, with shares in energy companies down by 3 per cent.|Talks between the two sides are expected to resume in Geneva next month.|Photographs shared on social media showed smoke rising over the city centre.|The council will meet again on Thursday to discuss the budget for the coming year.|Schools in the region remain closed and thousands of families have left their homes.|\"We heard the explosion and ran into the street,\" one resident said.|The weather service warned of heavy rain and strong winds across the north.|The company said it expected profits to recover in the second half of the year.|Aid agencies say the roads into the area are blocked and supplies are running low.|The minister arrived in the capital on Monday for two days of meetings with his counterparts.|Prices of bread and fuel have doubled since the summer, according to the statistics office.|The club confirmed that its captain would miss the next three matches with a knee injury.|Engineers are still assessing the damage to the bridge, which carries most of the freight traffic.|Opposition leaders said they would boycott the vote unless the electoral commission was reformed.|More than 2,000 people attended the funeral, which was broadcast live on national television.", F, "|")
  total = 0; id = 0
  while (total < BYTES) {
    id++
    n = int(rand() * 40) + 10; text = ""
    for (i = 0; i < n; i++) text = text sentence() (rand() < 0.2 ? "\\n\\n" : " ")
    gsub(/"/, "\\\"", text)
    line = sprintf("{\"id\":\"gen-%d\",\"source\":\"Synthetic\",\"published\":\"2020-10-%02d\",\"title\":\"Report %d\",\"text\":\"%s\"}", id, id % 28 + 1, id, text)
    print line
    total += length(line) + 1
  }
}'
}

printf '{"id":"tiny","text":"Shelling killed 2 civilians in Barda on Monday."}\n' >"$tmp/tiny.jsonl"
timed /dev/null "$tally" extract "$tmp/tiny.jsonl"
base_rss=$rss_kb
gen 10 1 >"$tmp/gen-10.jsonl"
gen "$big_mb" 2 >"$tmp/gen-big.jsonl"
echo "memory: peak RSS of tally extract (/usr/bin/time -v), generated news-like documents"
printf '  %-30s %9s MiB   (the lexicon and gazetteer tables: the baseline)\n' "one tiny document" "$(mib "$base_rss")"
timed /dev/null "$tally" extract "$tmp/gen-10.jsonl"
small_rss=$rss_kb small_s=$secs
printf '  %-30s %9s MiB   %s s, %s MB/s\n' "10 MB, -j 1" "$(mib "$small_rss")" "$small_s" "$(mbps 10000000 "$small_s")"
timed /dev/null "$tally" extract -j 2 "$tmp/gen-10.jsonl"
printf '  %-30s %9s MiB   %s s\n' "10 MB, -j 2" "$(mib "$rss_kb")" "$secs"
timed /dev/null "$tally" extract "$tmp/gen-big.jsonl"
big_rss=$rss_kb
printf '  %-30s %9s MiB   %s s, %s MB/s, exit %s\n' "$big_mb MB, -j 1" "$(mib "$big_rss")" "$secs" "$(mbps $((big_mb * 1000000)) "$secs")" "$rc"
echo "  growth $big_mb MB over 10 MB: $(mib $((big_rss - small_rss))) MiB (target: within 16 MiB, on 1 GB)"
echo "  beyond the tables: $(mib $((big_rss - base_rss))) MiB (target: under 64 MiB)"
[ "$big_mb" -lt 1000 ] && echo "  (100 MB, not 1 GB: BENCH_BIG=1 runs the 1 GB input)"
exit 0
