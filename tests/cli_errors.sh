#!/usr/bin/env bash
# Bad input gets one clear error line naming the document and the byte
# offset; the good documents still come out; the exit status is 3.
set -u
TALLY=${1:?usage: cli_errors.sh path/to/tally}
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
dir=$top/in
out=$top
mkdir "$dir"
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

printf 'Shelling killed 5 civilians in the town on Monday, officials said.\n' > "$dir/a-good.txt"
printf 'Valid start \xff\xfe then invalid bytes.\n' > "$dir/b-badutf8.txt"
printf '\x7fELF\x02\x01\x01\x00\x00\x00binary' > "$dir/c-binary.txt"
: > "$dir/d-empty.txt"
{
  printf '{"id":"j1","text":"At least 3 soldiers were killed, the ministry said."}\n'
  printf '{"id":"j2","text": broken\n'
  printf '[1,2,3]\n'
  printf '{"id":"j4","text":"Two civilians were wounded."}\n'
} > "$dir/e-lines.jsonl"

"$TALLY" extract "$dir" > "$out/out.jsonl" 2> "$out/err.txt"
rc=$?
cat "$out/err.txt"
[ $rc -eq 3 ] && ok "exit status 3" || bad "exit status $rc, want 3"
grep -q '"count_low":5' "$out/out.jsonl" && ok "good text document extracted" || bad "good text document missing"
grep -q '"doc":"j1"' "$out/out.jsonl" && ok "good JSON line before a bad one extracted" || bad "j1 missing"
grep -q '"doc":"j4"' "$out/out.jsonl" && ok "good JSON line after bad ones extracted" || bad "j4 missing"
grep -q 'b-badutf8.*byte 12' "$out/err.txt" && ok "invalid UTF-8 named with its offset" || bad "no UTF-8 error with offset 12"
grep -q 'c-binary' "$out/err.txt" && ok "binary file named" || bad "binary file not reported"
grep -q 'd-empty' "$out/err.txt" && ok "empty file named" || bad "empty file not reported"
grep -q 'e-lines.*byte' "$out/err.txt" && ok "broken JSON line named with an offset" || bad "broken JSON line not reported with offset"
[ "$(grep -c . "$out/err.txt")" -ge 5 ] && ok "one line per bad document" || bad "fewer error lines than bad documents"

# usage errors exit 2
"$TALLY" extract --format nope "$dir" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "usage error exits 2" || bad "usage error exit $rc"
"$TALLY" frobnicate >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "unknown command exits 2" || bad "unknown command exit $rc"
# stdin
printf 'Rocket fire injured 4 people.' | "$TALLY" extract > "$out/stdin.jsonl"; rc=$?
[ $rc -eq 0 ] && grep -q '"count_low":4' "$out/stdin.jsonl" && ok "stdin" || bad "stdin (exit $rc)"
# the language: --lang en is the default pack; an unknown one is named, exit non-zero
printf 'Rocket fire injured 4 people.' | "$TALLY" extract --lang en > "$out/lang.jsonl"; rc=$?
[ $rc -eq 0 ] && grep -q '"count_low":4' "$out/lang.jsonl" && ok "--lang en" || bad "--lang en (exit $rc)"
printf 'Rocket fire injured 4 people.' | "$TALLY" extract --lang xx > "$out/lang.jsonl" 2> "$out/lang.err"; rc=$?
[ $rc -ne 0 ] && grep -q "no language pack for 'xx'" "$out/lang.err" && [ ! -s "$out/lang.jsonl" ] &&
  ok "--lang xx exits $rc naming xx" || bad "--lang xx (exit $rc: $(cat "$out/lang.err"))"
"$TALLY" extract --lang ../en "$dir/a-good.txt" > /dev/null 2>&1; rc=$?
[ $rc -ne 0 ] && ok "--lang is a pack name, not a path" || bad "--lang ../en exit $rc"
# a good run exits 0
"$TALLY" extract "$dir/a-good.txt" >/dev/null; rc=$?
[ $rc -eq 0 ] && ok "all good exits 0" || bad "all good exit $rc"
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
