#!/usr/bin/env bash
# The web report on both backends: one tally binary ingests the same inputs
# (../shared seeds and corpus) into an SQLite file and into a throw-away
# PostgreSQL server (cluster.sh), serves both, and every page of the web
# report (the overview, the lists, an incident, a claim, a document, the
# search, the exports, the map and series APIs, filtered and paged) must
# answer the same bytes on both. A search page's documents are each
# engine's own ranking and snippets (FTS5's bm25 against ts_rank): they
# must be the same documents, the rest of the page the same bytes.
#
#   bash tests/pg/web.sh build/tally
#
# Skipped (77) when PostgreSQL, curl or the inputs are absent.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || { echo "skip: no curl"; exit 77; }
sq=$work/ledger.db
pg=$TALLY_TEST_PG

"$tally" ingest -q --db "$sq" "${inputs[@]}" || [ $? = 3 ] || { echo "FAIL ingest sqlite"; exit 1; }
"$tally" ingest -q --db "$pg" "${inputs[@]}" || [ $? = 3 ] || { echo "FAIL ingest postgresql"; exit 1; }

start() {  # start DB OUT: sets URL
  "$tally" serve -q --db "$1" --port 0 > "$2" 2>&1 &
  pids+=($!)
  local i=0
  while ! grep -q '^serving ' "$2" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "FAIL     serve did not start: $(cat "$2")"; exit 1; }
    sleep 0.1
  done
  URL=$(sed -n 's/^serving //p' "$2")
}
start "$sq" "$work/serve.sqlite.out"; u1=${URL%/}
start "$pg" "$work/serve.pg.out"; u2=${URL%/}

# get NAME PATH: the page (its body, then its status) from each server
get() {
  curl -s -w '\n%{http_code}\n' --max-time 30 "$u1$2" > "$work/$1.sqlite"
  curl -s -w '\n%{http_code}\n' --max-time 30 "$u2$2" > "$work/$1.pg"
}
cmp_page() {  # cmp_page NAME PATH
  if cmp -s "$work/$1.sqlite" "$work/$1.pg"; then
    echo "same     $2 ($(wc -c < "$work/$1.pg") bytes, $(tail -1 "$work/$1.pg"))"
  else
    echo "DIFFERS  $2"; diff "$work/$1.sqlite" "$work/$1.pg" | head -6 | cut -c1-300; fail=1
  fi
}
n=0
page() {  # page PATH: the same bytes on both
  n=$((n + 1)); local name=p$n
  get "$name" "$1"
  if [ "$(tail -1 "$work/$name.sqlite")" != 200 ]; then echo "FAIL     $1: SQLite answered $(tail -1 "$work/$name.sqlite")"; fail=1; fi
  cmp_page "$name" "$1"
}
# search PATH [any]: the same documents; the page without its hits (the
# results block) the same bytes. any: no documents is no failure (a page
# past the last).
search() {
  n=$((n + 1)); local name=p$n b
  get "$name" "$1"
  for b in sqlite pg; do
    perl -0ne 'print "$1\n" while m{<div class="hit"><a href="(/documents/[0-9]+)"}g' "$work/$name.$b" | sort > "$work/$name.docs.$b"
    perl -0pe 's{<div id="results">.*?</div>\n<h2>Claims}{<div id="results">\n<h2>Claims}s' "$work/$name.$b" > "$work/$name.rest.$b"
  done
  if [ "$(tail -1 "$work/$name.sqlite")" != 200 ] || { [ "${2:-}" != any ] && [ ! -s "$work/$name.docs.sqlite" ]; }; then
    echo "FAIL     $1: SQLite found nothing ($(tail -1 "$work/$name.sqlite"))"; fail=1
  fi
  if cmp -s "$work/$name.docs.sqlite" "$work/$name.docs.pg"; then echo "same     $1: $(wc -l < "$work/$name.docs.pg") documents"
  else echo "DIFFERS  $1: the documents"; diff "$work/$name.docs.sqlite" "$work/$name.docs.pg" | head -6; fail=1; fi
  cmp_page "$name.rest" "$1 (without its hits)"
}

page /
page /index.html
page "/?country=AZ"
page "/?claimant=ministry&since=2020-10"
page "/?outcome=injured&victims=civilians"
page /incidents
page "/incidents?page=2"
page "/incidents?country=AZ&page=2"
page "/incidents?place=Tartar"
page "/incidents?since=2020-10-01&until=2020-10-31&page=2"
page "/incidents?outcome=injured&page=2&per_page=5"
page "/incidents?claimant=defence&alignment=party"
page "/incidents?alignment=unknown"
page /claims
page "/claims?page=2"
page "/claims?country=AZ&page=2"
page "/claims?place=Ganja"
page "/claims?place=Ganja%20(AZ)&outcome=killed"
page "/claims?outcome=killed&victims=civilians&page=2"
page "/claims?claimant=ministry&until=2020-11&page=2"
page "/claims?alignment=party:AZ"
page "/claims?alignment=third&per_page=7&page=3"
page "/claims?page=999"
for id in 1 2 7 40; do page "/incidents/$id"; done
for id in 1 3 5 40; do page "/claims/$id"; done
for id in 1 2 3; do page "/documents/$id"; done
page /export.geojson
page "/export.geojson?country=AZ&outcome=killed"
page "/export.csv?country=AZ"
page "/export.csv?claimant=police&page=2"
page "/api/map"
page "/api/map?country=AM&since=2020-10"
page "/api/series"
page "/api/series?page=2"
page "/api/series?claimant=ministry&page=2&per_page=2"
page /search
search "/search?q=Ganja"
search "/search?q=Ganja&page=2" any
search "/search?q=missile%20Ganja&outcome=killed"
search "/search?q=Amnesty%27s"
search "/search?q=civilians&country=AZ&per_page=1000"
search "/search?q=fts:Ganja%20OR%20Barda&per_page=1000"
# text as people type it: hyphens, dots, FTS5's words, unbalanced quotes;
# FTS5's operators after fts:
search "/search?q=U.S.&per_page=1000"
search "/search?q=AND&per_page=1000"
search "/search?q=%22Ganja%20missile&per_page=1000"
search "/search?q=NEAR(&per_page=1000" any
search "/search?q=Gan*&per_page=1000" any
search "/search?q=fts:Ganja%20NOT%20Stepanakert&per_page=1000"
search "/search?q=fts:%22second%20largest%20city%22%20AND%20missile&per_page=1000"
# a search with no word: no documents, the same page
page "/search?q=%27%27"
page "/search?q=-"
page "/claims?victims_side=AZ"
page "/incidents?victims_side=AM&page=2"

# the archive ledger of tests/server/browser.sh on both: the world dev set
# (Ukraine, Gaza, Somalia, ...) and a hostile document added
wd=$shared/dev/world-dev.jsonl
if [ -f "$wd" ]; then
  cat > "$work/hostile.txt" <<'DOC'
Ganja, October 11, 2020. <script>alert(1)</script> Officials said that 9 civilians were killed in Ganja on October 11, 2020. <img src=x onerror=alert(2)> "quoted" & done.
DOC
  for db in "$sq" "$pg"; do
    "$tally" ingest -q --db "$db" "$wd" || [ $? = 3 ] || { echo "FAIL     ingest $wd"; fail=1; }
    "$tally" ingest -q --published 2020-10-11 --db "$db" "$work/hostile.txt" || [ $? = 3 ] || { echo "FAIL     ingest hostile"; fail=1; }
  done
  page "/"
  page "/?country=UA"
  page "/incidents?page=2"
  page "/incidents?country=PS&page=2&per_page=10"
  page "/claims?page=3"
  page "/claims?country=UA&outcome=injured&page=2"
  page "/claims?alignment=aligned&since=2023&page=2"
  id=$(curl -s --max-time 30 "$u1/api/map?country=UA" | grep -o '"incident_id":[0-9]*' | head -1 | cut -d: -f2)
  page "/incidents/${id:-1}"
  page "/export.geojson?country=SO"
  page "/api/map"
  page "/api/series?page=3"
  search "/search?q=Gaza&per_page=1000"
  search "/search?q=Nagorno-Karabakh&per_page=1000"
  search "/search?q=fts:Kharkiv%20NOT%20Kyiv&per_page=1000"
  search "/search?q=%3Cscript%3Ealert(3)%3C/script%3E" any
  # the browser test (tests/server/browser.mjs) against the PostgreSQL server
  npm=$src/.deps/npm/node_modules
  if command -v node >/dev/null 2>&1 && [ -x /usr/bin/chromium ] && [ -d "$npm/playwright-core" ]; then
    if NODE_PATH=$npm node "$src/tests/server/browser.mjs" "$u2/" "$work/shots" "$work/profile" "$npm/playwright-core/index.js" \
        > "$work/browser.out" 2>&1; then
      echo "ok       browser.mjs on PostgreSQL ($(grep -c '^ok ' "$work/browser.out") checks)"
    else
      echo "FAIL     browser.mjs on PostgreSQL"; grep -v '^ok ' "$work/browser.out" | head -20 | cut -c1-300; fail=1
    fi
  else
    echo "skip     browser.mjs on PostgreSQL (no node, chromium or playwright-core: scripts/setup-browser.sh)"
  fi
fi

if [ $fail -eq 0 ]; then echo "web: identical"; else echo "web: DIFFERENT"; fi
exit $fail
