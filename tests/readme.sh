#!/bin/bash
# readme.sh SOURCE_DIR BUILD_DIR -- runs the README's ecosystem commands as
# written (issue 15): every ```sh block that follows the line
# "<!-- tests/readme.sh runs this block ... -->", line by line, in a scratch
# directory laid out like the source tree (build/tally, examples/, tests/,
# python/, ../shared). A line fails the test when it exits non-zero; a line
# whose tool is not installed (pandas, sqlite-utils, pdftotext) is skipped
# and said. Skipped (77) without ../shared.
set -u
SRC=$(cd "${1:?usage: $0 SOURCE_DIR BUILD_DIR}" && pwd)
BUILD=$(cd "${2:?usage: $0 SOURCE_DIR BUILD_DIR}" && pwd)
SHARED=$SRC/../shared
[ -d "$SHARED/seeds" ] || { echo "skip: no ../shared beside the source tree"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tally-readme.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/src/build"
ln -s "$BUILD/tally" "$TMP/src/build/tally"
[ -d "$BUILD/data" ] && ln -s "$BUILD/data" "$TMP/src/build/data"
for d in examples tests python data; do ln -s "$SRC/$d" "$TMP/src/$d"; done
ln -s "$(cd "$SHARED" && pwd)" "$TMP/shared"
export TALLY_LIB="$BUILD/libtally.so"        # the Python module's library (python/tally)
# the Python the module and pandas are installed for: Debian's own when the
# first python3 on PATH (pyenv, a venv) has no pandas
mkdir -p "$TMP/bin"
if ! python3 -c 'import pandas' 2>/dev/null && /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
    ln -s /usr/bin/python3 "$TMP/bin/python3"
fi
export PATH="$TMP/bin:$PATH"

# the marked blocks' lines
awk '/<!-- tests\/readme.sh runs this block/ { want = 1; next }
     want && /^```sh/ { inblock = 1; next }
     inblock && /^```/ { inblock = 0; want = 0; next }
     inblock && NF { print }' "$SRC/README.md" > "$TMP/lines"
n=$(wc -l < "$TMP/lines")
[ "$n" -ge 6 ] || { echo "FAIL: only $n README lines found to run"; exit 1; }
fails=0
cd "$TMP/src" || exit 1
while IFS= read -r line; do
    cmd=${line%%#*}                       # the command without its comment
    need=
    case "$cmd" in
        *pandas*) python3 -c 'import pandas' 2>/dev/null || need="python3-pandas" ;;
        sqlite-utils*) command -v sqlite-utils >/dev/null || need="sqlite-utils" ;;
        *.pdf*) command -v pdftotext >/dev/null || need="poppler-utils" ;;
    esac
    if [ -n "$need" ]; then echo "skip ($need not installed): $cmd"; continue; fi
    if out=$(bash -c "$cmd" 2>&1 </dev/null); then
        echo "ok: $cmd"
    else
        echo "FAIL: $cmd"; printf '%s\n' "$out" | head -5; fails=$((fails + 1))
    fi
    case "$cmd" in     # what the line must have shown
        *pandas*) [ "${out//[^0-9]/}" != "" ] && [ "${out//[^0-9]/}" != "0" ] || { echo "FAIL: pandas found no Azerbaijani fatalities: $out"; fails=$((fails + 1)); } ;;
        sqlite-utils*) grep -q '"doc"' <<<"$out" || { echo "FAIL: sqlite-utils search found nothing"; fails=$((fails + 1)); } ;;
        *wire.rss*) grep -q 'sahel-0001' <<<"$out" || { echo "FAIL: the feed's item is not a document"; fails=$((fails + 1)); } ;;
        *.pdf*) grep -q 'field-report' <<<"$out" && grep -q 'killed' <<<"$out" || { echo "FAIL: no claim from the PDF"; fails=$((fails + 1)); } ;;
        *tally.extract*) grep -q "'killed'" <<<"$out" || { echo "FAIL: the Python module gave no claim"; fails=$((fails + 1)); } ;;
    esac
done < "$TMP/lines"
# Datasette's own test of a full-text table: the FTS table's SQL declares
# content="documents" (or [documents]) -- what `datasette seeds.db` needs
sql=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select sql from sqlite_master where name=?", ("documents_fts",)).fetchone()[0])' seeds.db 2>&1)
if grep -Eq 'content="documents"|content=\[documents\]' <<<"$sql"; then echo "ok: documents_fts declared as Datasette detects it"
else echo "FAIL: documents_fts: $sql"; fails=$((fails + 1)); fi
[ "$fails" = 0 ] && echo "readme: all ok" || { echo "readme: $fails failed"; exit 1; }
