#!/usr/bin/env bash
# Readers: RSS and Atom feeds (one document per item), PDFs through
# pdftotext, legacy charsets, and the directory walk of saved pages.
# Fixtures: tests/data/io/ (written for tally), plus inputs made here.
. "$(dirname "$0")/../hostile/lib.sh"
io=$(cd "$(dirname "$0")/../data/io" && pwd)
field() { # field DOC KEY: the values of KEY in DOC's claims, one a line
    grep "^{\"doc\":\"$1\"," "$OUT" | python3 -c "
import json, sys
for l in sys.stdin: print(json.loads(l).get(sys.argv[1]))" "$2"
}

# ---- RSS 2.0: one document per item, the item's date and link
run "$io/wire.rss"
check "RSS: exit 0" rc_is 0
check "RSS: item 1 (guid as id) gives its claim" has_claim sahel-0001 killed 14
check "RSS: item 2 (link as id, escaped HTML) gives its claim" has_claim "https://example.org/a/2" injured 6
[ "$(field sahel-0001 date_start)" = "2023-03-11" ] && ok "RSS: pubDate is the reference date (Saturday = 11 March)" || bad "RSS: date $(field sahel-0001 date_start)"
! grep -q 'CDATA\|<p>\|\]\]>' "$OUT" && ok "RSS: no markup in the evidence" || bad "RSS: markup in the evidence"
grep -q '"sentence":"Militants attacked' "$OUT" && ok "RSS: the evidence is the item's text" || bad "RSS: evidence"

# ---- Atom, by name, and the same content sniffed without an extension
run "$io/updates.atom"
check "Atom: the entry's claim" has_claim "tag:example.org,2023:u3" killed 11
[ "$(field tag:example.org,2023:u3 date_start)" = "2023-04-17" ] && ok "Atom: updated is the reference date" || bad "Atom: date"
cp "$io/updates.atom" "$TMP/feed-noext"
run "$TMP/feed-noext"
check "Atom sniffed without an extension" has_claim "tag:example.org,2023:u3" killed 11

# ---- a directory of saved pages: the page is read, its _files/ folder and
#      scripts, styles and images are not
mkdir -p "$TMP/saved/page_files"
printf '<html><head><title>Report</title></head><body><p>Shelling killed 4 civilians in Barda on Monday, officials said.</p></body></html>' > "$TMP/saved/page.html"
printf 'var x = "Shelling killed 9 civilians"; // 12 people were injured\n' > "$TMP/saved/page_files/app.js"
printf 'Rockets killed 7 soldiers.' > "$TMP/saved/page_files/notes.txt"
printf 'body { color: red } /* 5 people were killed */' > "$TMP/saved/style.css"
printf 'console.log("3 people were killed")' > "$TMP/saved/main.js"
printf '\x89PNG\r\n\x1a\nxxxx' > "$TMP/saved/logo.png"
run "$TMP/saved"
check "saved pages: exit 0 (nothing refused: non-documents are not read)" rc_is 0
check "saved pages: the page's claim" has_claim page killed 4
[ "$(grep -c . "$OUT")" -eq 1 ] && ok "saved pages: no claim from _files/, scripts or styles" || bad "saved pages: $(grep -c . "$OUT") claims"
run "$TMP/saved/main.js"
check "a script named on the command line is still read" has_claim main killed 3

# ---- --include / --exclude globs in a directory walk; a missing path is exit 1
mkdir -p "$TMP/globs/drafts"
printf 'Shelling killed 2 civilians in Barda.' > "$TMP/globs/a.txt"
printf '<html><body><p>Shelling killed 3 civilians in Barda.</p></body></html>' > "$TMP/globs/b.html"
printf 'Shelling killed 4 civilians in Barda.' > "$TMP/globs/drafts/c.txt"
run --include '*.txt' "$TMP/globs"
[ "$(grep -c . "$OUT")" -eq 2 ] && has_claim a killed 2 && has_claim c killed 4 && ok "--include '*.txt' reads only .txt files" || bad "--include: $(cut -c1-40 "$OUT")"
run --exclude drafts --exclude '*.html' "$TMP/globs"
[ "$(grep -c . "$OUT")" -eq 1 ] && has_claim a killed 2 && ok "--exclude drafts --exclude '*.html'" || bad "--exclude: $(cut -c1-40 "$OUT")"
run "$TMP/globs/a.txt" "$TMP/no-such-file.txt"
check "a mistyped input path: exit 1, not 3" rc_is 1
check "a mistyped input path: the other file is still read" has_claim a killed 2

# ---- legacy charsets: windows-1251 and KOI8-R HTML, UTF-16 text
python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
ru = "Shelling killed 5 civilians in Barda (Барда) on Monday, officials said."
for cs, py in (("windows-1251", "cp1251"), ("koi8-r", "koi8_r")):
    html = f'<html><head><meta charset="{cs}"><title>т</title></head><body><p>{ru}</p></body></html>'
    open(f"{d}/{py}.html", "wb").write(html.encode(py))
open(f"{d}/utf16.txt", "wb").write(b"\xff\xfe" + "Rockets injured 8 soldiers in Ganja. Ракеты.".encode("utf-16-le"))
open(f"{d}/utf16be.txt", "wb").write(b"\xfe\xff" + "Rockets injured 9 soldiers in Ganja.".encode("utf-16-be"))
PY
run "$TMP/cp1251.html" "$TMP/koi8_r.html" "$TMP/utf16.txt" "$TMP/utf16be.txt"
check "charsets: exit 0" rc_is 0
check "windows-1251 page read" has_claim cp1251 killed 5
check "KOI8-R page read" has_claim koi8_r killed 5
check "UTF-16LE text with BOM read" has_claim utf16 injured 8
check "UTF-16BE text with BOM read" has_claim utf16be injured 9
grep '"doc":"cp1251"' "$OUT" | grep -q "Барда" && ok "windows-1251: Cyrillic converted to UTF-8" || bad "windows-1251: Cyrillic not converted"

# ---- PDF through pdftotext (poppler-utils), one document per PDF
python3 - "$TMP/report.pdf" <<'PY'
import sys
text = "Shelling killed 6 civilians in Barda on Monday, officials said."
stream = f"BT /F1 12 Tf 50 700 Td ({text}) Tj ET".encode()
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
out = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs: out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
PY
if command -v pdftotext >/dev/null; then
    run "$TMP/report.pdf"
    check "PDF: exit 0" rc_is 0
    check "PDF: its claim, the file's stem as id" has_claim report killed 6
else
    run "$TMP/report.pdf"
    check "PDF without pdftotext: skipped, exit 3" rc_is 3
    grep -q 'pdftotext' "$ERR" && ok "PDF without pdftotext: the message names pdftotext" || bad "PDF: message"
fi
TALLY_PDFTOTEXT=/nonexistent/pdftotext run "$TMP/report.pdf"
check "PDF with no pdftotext on PATH: exit 3" rc_is 3
grep -q 'poppler-utils' "$ERR" && ok "PDF with no pdftotext: the message says what to install" || bad "PDF: no install hint"
# ---- languages: each document read with its language's pack; one in a
#      language with no pack is passed over and counted, exit 0
mkdir -p "$TMP/langs"
printf 'Shelling killed 2 civilians in Barda on Monday, the ministry said.\n' > "$TMP/langs/en.txt"
printf 'Les frappes ont tué quatorze civils dans la ville, selon le ministère de la santé.\n' > "$TMP/langs/fr.txt"
printf 'Los ataques mataron a catorce civiles en la ciudad, según el ministerio de salud.\n' > "$TMP/langs/es.txt"
run "$TMP/langs"
check "languages: exit 0" rc_is 0
check "languages: the English document's claim" has_claim en killed 2
[ "$(grep -c . "$OUT")" -eq 1 ] && ok "languages: nothing read from French or Spanish with the English pack" || bad "languages: $(grep -c . "$OUT") claims"
grep -q 'no language pack for es (1), fr (1)' "$ERR" && ok "languages: stderr counts the documents passed over, by language" || bad "languages: message: $(cat "$ERR")"
run --lang en "$TMP/langs/fr.txt"
check "--lang en forces the English pack (exit 0)" rc_is 0
! grep -q 'no language pack' "$ERR" && ok "--lang en: no language message" || bad "--lang en: language message"

# ---- the ledger: a Russian report and an English wire about one strike are
#      one incident, each claim with its own sentence as evidence
cat > "$TMP/mix.jsonl" <<'J'
{"id":"ru-ganja","published":"2020-10-05","text":"В Гяндже 4 октября в результате ракетного удара погибли 9 мирных жителей, сообщила Генпрокуратура Азербайджана."}
{"id":"en-ganja","published":"2020-10-05","text":"A missile strike on Ganja on 4 October killed 10 civilians, Amnesty International said."}
{"id":"fr-ganja","published":"2020-10-05","text":"Les frappes ont tué quatorze civils dans la ville de Ganja, selon le ministère de la santé."}
J
"$TALLY" ingest --db "$TMP/mix.db" "$TMP/mix.jsonl" > /dev/null 2> "$TMP/mix.err"; RC=$?
check "ingest of mixed languages: exit 0" rc_is 0
grep -q '1 document not stored: tally has no language pack' "$TMP/mix.err" && ok "ingest: the French document is counted, not stored" || bad "ingest: $(cat "$TMP/mix.err")"
python3 - "$TMP/mix.db" <<'PY' && ok "ledger: each document stored with the language it was read in" || bad "ledger: documents.lang"
import sqlite3, sys
got = dict(sqlite3.connect(sys.argv[1]).execute("SELECT doc, lang FROM documents"))
sys.exit(0 if got == {"ru-ganja": "ru", "en-ganja": "en"} else print(got) or 1)
PY
"$TALLY" claims --db "$TMP/mix.db" --json > "$TMP/mix.claims"
python3 - "$TMP/mix.claims" <<'PY' && ok "ledger: the Russian and the English claim are one incident, evidence in each language" || bad "ledger: not one incident"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = rows[0] if len(rows) == 1 and isinstance(rows[0], list) else rows
by = {r["doc"]: r for r in rows}
ru, en = by["ru-ganja"], by["en-ganja"]
ok = ru["incident_id"] and ru["incident_id"] == en["incident_id"] and "погибли" in ru["sentence"] and "killed 10" in en["sentence"]
sys.exit(0 if ok and "fr-ganja" not in by else 1)
PY

# ---- publication dates: a compact YYYYMMDD <meta>, a day beats a bare year,
#      and a WARC-Date beats a page's year-only date
printf '<html><head><meta name="pubdate" content="20201028"><title>x</title></head><body><p>Shelling killed 3 civilians in Barda on Monday.</p></body></html>' > "$TMP/compact.html"
printf '<html><head><meta property="article:published_time" content="2020"><meta itemprop="datePublished" content="2020-10-28"><title>x</title></head><body><p>Shelling killed 3 civilians in Barda on Monday.</p></body></html>' > "$TMP/yearonly.html"
python3 - "$TMP/dated.warc" <<'PY'
import sys
html = b'<html><head><meta name="date" content="2020"><title>x</title></head><body><p>Shelling killed 3 civilians in Barda on Monday.</p></body></html>'
http = b'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' + html
rec = (b'WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:dated-1>\r\nWARC-Date: 2020-10-28T09:00:00Z\r\n'
       b'WARC-Target-URI: https://example.org/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n' % len(http)) + http + b'\r\n\r\n'
open(sys.argv[1], 'wb').write(rec)
PY
run "$TMP/compact.html" "$TMP/yearonly.html" "$TMP/dated.warc"
[ "$(field compact date_start)" = "2020-10-26" ] && ok "meta YYYYMMDD is a day (Monday = 26 October)" || bad "compact meta date: $(field compact date_start)"
[ "$(field yearonly date_start)" = "2020-10-26" ] && ok "a full meta date beats a year-only one" || bad "year-only meta: $(field yearonly date_start)"
[ "$(field urn:uuid:dated-1 date_start)" = "2020-10-26" ] && ok "the WARC-Date beats the page's bare year" || bad "WARC date: $(field urn:uuid:dated-1 date_start)"
finish
