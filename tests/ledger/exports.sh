#!/bin/bash
# exports.sh TALLY -- the codebook exports and the flat exports (issue 15),
# read as their users read them: Python's csv module (always), R (tests/ledger/exports.R,
# when Debian's r-base-core is installed), pandas
# (Debian's python3-pandas, when installed), sqlite-utils' full-text search
# (Debian's sqlite-utils, when installed). Texts written for this test.
set -u
TALLY=${1:?usage: $0 path/to/tally}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tally-exports.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PY=
for p in python3 /usr/bin/python3; do command -v "$p" >/dev/null 2>&1 && { PY=$p; break; }; done
[ -n "$PY" ] || { echo "skip: no python3"; exit 77; }
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat >"$TMP/in.jsonl" <<'EOF'
{"id":"e1","published":"2020-10-05","url":"https://example.org/e1","title":"Strike on Ganja","source":"Wire A","text":"A missile strike on Ganja on 4 October killed 3 civilians, the Interior Ministry of Azerbaijan said."}
{"id":"e2","published":"2020-10-06","url":"https://example.org/e2","title":"Ganja toll","source":"Wire B","text":"The missile strike on Ganja on 4 October killed 5 civilians, Human Rights Watch said."}
{"id":"e3","published":"2020-10-20","title":"Barda district","source":"Wire C","text":"Shelling of Barda District on 18 October killed 2 civilians, the Prosecutor General of Azerbaijan said."}
{"id":"e4","published":"2020-10-11","title":"Week","source":"Wire A","text":"Between 1 and 10 October, shelling across Azerbaijan killed 30 civilians, the Interior Ministry of Azerbaijan said."}
{"id":"e5","published":"2020-10-10","title":"=HYPERLINK(\"http://example.com/x\",\"open\")","source":"@Wire D","text":"=2+3 Shelling of Tartar on 9 October killed 2 civilians and injured 4, the Interior Ministry of Azerbaijan said."}
{"id":"e6","published":"2020-10-12","title":"Stepanakert","source":"Wire E","text":"A strike on Stepanakert on 11 October killed 14 people, including five children, the Ministry of Defence of Armenia said."}
EOF
DB=$TMP/x.db
"$TALLY" ingest -q --db "$DB" "$TMP/in.jsonl" || bad "ingest"
for f in acled ucdp csv; do
    "$TALLY" export --db "$DB" --format "$f" >"$TMP/$f.csv" || bad "export $f"
done
"$TALLY" export --db "$DB" --format csv --no-formula-guard >"$TMP/raw.csv" || bad "export --no-formula-guard"
"$TALLY" export --db "$DB" --format acled --bom >"$TMP/bom.csv" || bad "export --bom"
"$TALLY" claims --db "$DB" --csv >"$TMP/claims.csv" || bad "claims --csv"
"$TALLY" claims --db "$DB" --csv --bom >"$TMP/claims-bom.csv" || bad "claims --csv --bom"

# ---- a CSV of no rows still has its header
for cmd in "timeline --csv" "claims --csv" "incidents --csv" "sources --csv" "export --format ucdp" \
    "export --format acled" "export --format csv"; do
    # shellcheck disable=SC2086
    out=$("$TALLY" $cmd --db "$DB" --place Nowhere 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s' "$out" | grep -q ','; then
        ok "$cmd --place Nowhere: the header alone"
    else
        bad "$cmd --place Nowhere: exit $rc, '$out'"
    fi
done
"$TALLY" search --db "$DB" --csv zzzyx >"$TMP/s.csv" 2>&1
if [ "$(head -1 "$TMP/s.csv")" = $'doc,title,source,published,n_claims,snippet\r' ]; then ok "search --csv with no hit: the header"
else bad "search --csv with no hit: $(head -2 "$TMP/s.csv")"; fi

# ---- the codebooks' columns and values, with the csv module
if "$PY" - "$TMP" <<'EOF'
import csv, sys
d = sys.argv[1]
fails = []
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond: fails.append(what)
def rows(name, **kw):
    with open(f"{d}/{name}", newline="", encoding=kw.get("encoding", "utf-8")) as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)

ACLED = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
         "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
         "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes fatalities "
         "tags timestamp").split()
cols, a = rows("acled.csv")
check(cols == ACLED, "ACLED: the codebook's 31 columns in order")
check(len(a) == 5, f"ACLED: one row an event: 6 documents, Ganja's two one strike ({len(a)})")
ids = [r["event_id_cnty"] for r in a]
check(len(set(ids)) == len(ids) and all(i.startswith("AZE") for i in ids), f"ACLED: event_id_cnty unique, ISO3-prefixed {ids}")
check(all(r["country"] == "Azerbaijan" for r in a), "ACLED: country is the country's name")
check(all(r["iso"] == "31" and r["region"] == "Caucasus and Central Asia" for r in a), "ACLED: iso numeric, region")
ganja = [r for r in a if r["location"] == "Ganja"]
check(len(ganja) == 1 and ganja[0]["fatalities"] == "3", "ACLED: fatalities = the lowest figure (3 and 5 reported: 3)")
check(ganja and ganja[0]["geo_precision"] == "1" and ganja[0]["time_precision"] == "1" and ganja[0]["year"] == "2020",
      "ACLED: precisions and year")
check(ganja and ganja[0]["actor2"] == "Civilians (Azerbaijan)" and ganja[0]["civilian_targeting"] == "Civilian targeting",
      "ACLED: actor2, civilian_targeting")
check(ganja and ganja[0]["source"] == "Wire A; Wire B", "ACLED: source = the outlets")
check(all(not r[k] or len(r[k].split(".")[-1]) <= 5 for r in a for k in ("latitude", "longitude")),
      "ACLED: coordinates rounded to 5 decimals")
country = [r for r in a if r["location"] == "Azerbaijan"]
check(len(country) == 1 and not country[0]["latitude"] and country[0]["geo_precision"] == "3",
      "ACLED: a country-level claim has no point (not the capital) and precision 3")
step = [r for r in a if r["location"].startswith("Khankendi")]
check(len(step) == 1 and step[0]["fatalities"] == "14", "ACLED: a breakdown (including five children) is not added to its total")
check(all(r[k] == "" for r in a for k in ("assoc_actor_1", "inter1", "inter2", "interaction", "source_scale")),
      "ACLED: what a coder decides is empty")
check(ganja and ganja[0]["event_type"] == "Explosions/Remote violence" and ganja[0]["disorder_type"] == "Political violence"
      and ganja[0]["sub_event_type"] == "Shelling/artillery/missile attack", "ACLED: a missile strike's event type, from the weapon")
check(step and step[0]["event_type"] == "" and step[0]["sub_event_type"] == "", "ACLED: no weapon named, no event type")
check(all(r["timestamp"].isdigit() for r in a), "ACLED: timestamp")

UCDP = ("id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id conflict_name "
        "dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a side_b_dset_id side_b_new_id side_b "
        "number_of_sources source_article source_office source_date source_headline source_original where_prec "
        "where_coordinates where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country "
        "country_id region event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians "
        "deaths_unknown best high low gwnoa gwnob").split()
cols, u = rows("ucdp.csv")
check(cols == UCDP, "UCDP: the GED columns in order")
check(len(set(r["id"] for r in u)) == len(u) == 5, "UCDP: unique ids, one row an event")
check(all(r["country"] == "Azerbaijan" and r["country_id"] == "373" and r["region"] == "Europe" for r in u),
      "UCDP: country name, Gleditsch-Ward country_id, region")
check(all(r["date_start"] and r["date_end"] for r in u), "UCDP: every event has its dates")
by = {r["where_coordinates"]: r for r in u}
g = by.get("Ganja", {})
check(g.get("where_prec") == "1" and g.get("low") == "3" and g.get("high") == "5" and g.get("best") == "3",
      "UCDP: a town is where_prec 1; low, best, high")
check(g.get("deaths_civilians") == "3" and g.get("deaths_unknown") == "0", "UCDP: deaths by victims")
check(g.get("geom_wkt", "").startswith("POINT (46.36") and g.get("priogrid_gid") == "188373", "UCDP: geometry, PRIO-GRID cell")
check("https://example.org/e1" in g.get("source_article", ""), "UCDP: source_article with the URL")
check(by.get("Barda District", {}).get("where_prec") == "3", "UCDP: a district is where_prec 3")
c = by.get("Azerbaijan", {})
check(c.get("where_prec") == "6" and not c.get("latitude") and not c.get("geom_wkt"),
      "UCDP: a country is where_prec 6, without a point")
check(all(int(r["best"]) == int(r["deaths_civilians"]) + int(r["deaths_unknown"]) for r in u),
      "UCDP: best = deaths_civilians + deaths_unknown")
check(all(r["side_a"] == "" and r["type_of_violence"] == "" for r in u), "UCDP: sides and violence type are UCDP's coding: empty")

# ---- flat exports
cols, c = rows("csv.csv")
check(cols[:4] == ["claim_id", "doc", "published", "url"] and "victims_side" in cols and "part_of" in cols,
      "csv: claim_id, published, url and the claim fields")
check(len(set(r["claim_id"] for r in c)) == len(c), "csv: claim_id unique")
e1 = [r for r in c if r["doc"] == "e1"]
check(e1 and e1[0]["url"] == "https://example.org/e1" and e1[0]["published"] == "2020-10-05", "csv: url and published")
e5 = [r for r in c if r["doc"] == "e5"]
check(e5 and all(r["sentence"].startswith("'=2+3") for r in e5), "csv: a cell starting with = gets a leading '")
cols, raw = rows("raw.csv")
check([r["sentence"] for r in raw if r["doc"] == "e5"][0].startswith("=2+3"), "csv --no-formula-guard: the cell as it is")
cols, cl = rows("claims.csv")
check("url" in cols and "claim_id" in cols and "published" in cols, "claims --csv: claim_id, published, url")
t = [r for r in cl if r["doc"] == "e5"]
check(t and t[0]["title"].startswith("'=HYPERLINK") and t[0]["publisher"] == "'@Wire D", "claims --csv: = and @ guarded")
check(all(not r["count_low"].startswith("'") for r in cl), "numbers are never guarded")
for name in ("bom.csv", "claims-bom.csv"):
    b = open(f"{d}/{name}", "rb").read(3)
    check(b == b"\xef\xbb\xbf", f"{name}: --bom writes a UTF-8 BOM")
    cols, _ = rows(name, encoding="utf-8-sig")
    check(cols[0] in ("event_id_cnty", "claim_id"), f"{name}: and the header after it")
check(open(f"{d}/acled.csv", "rb").read(3) != b"\xef\xbb\xbf", "no BOM without --bom")
sys.exit(1 if fails else 0)
EOF
then :; else fails=$((fails + 1)); fi

# ---- pandas, as a monitor's script reads them (when installed)
PANDAS=
for p in python3 /usr/bin/python3; do "$p" -c 'import pandas' 2>/dev/null && { PANDAS=$p; break; }; done
if [ -n "$PANDAS" ]; then
    if "$PANDAS" - "$TMP" <<'EOF'
import sys
import pandas as pd
d = sys.argv[1]
a = pd.read_csv(f"{d}/acled.csv")
assert len(a[a.country == "Azerbaijan"]) == 5, "df[df.country == 'Azerbaijan']"
assert a.event_id_cnty.is_unique
assert a.fatalities.dtype.kind == "i" and a.fatalities.sum() == 3 + 2 + 30 + 2 + 14
assert a.latitude.dtype.kind == "f"
u = pd.read_csv(f"{d}/ucdp.csv")
assert (u.best >= u.low).all() and (u.high >= u.best).all()
assert set(u.where_prec) <= {1, 2, 3, 4, 5, 6, 7}
b = pd.read_csv(f"{d}/bom.csv", encoding="utf-8-sig")
assert b.columns[0] == "event_id_cnty"
c = pd.read_csv(f"{d}/csv.csv")
assert c.claim_id.is_unique and "url" in c.columns
print("ok: pandas reads the exports")
EOF
    then :; else bad "pandas"; fi
else
    echo "skip: pandas not installed (Debian python3-pandas)"
fi

# ---- R, as a monitor's script reads them (when installed: r-base-core)
if command -v Rscript >/dev/null 2>&1; then
    if Rscript "$(dirname "$0")/exports.R" "$TMP"; then :; else bad "R (tests/ledger/exports.R)"; fi
else
    echo "skip: R not installed (Debian r-base-core)"
fi

# ---- sqlite-utils finds the full-text index (when installed)
if command -v sqlite-utils >/dev/null 2>&1; then
    if sqlite-utils search "$DB" documents Stepanakert --csv >"$TMP/search.csv" 2>"$TMP/search.err" &&
        grep -q e6 "$TMP/search.csv"; then
        ok "sqlite-utils search DB documents WORD finds the document"
    else
        bad "sqlite-utils search: $(head -3 "$TMP/search.err")"
    fi
else
    echo "skip: sqlite-utils not installed (Debian sqlite-utils)"
fi
[ "$fails" -eq 0 ]
