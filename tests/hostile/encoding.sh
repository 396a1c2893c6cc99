#!/usr/bin/env bash
# Hostile bytes in plain text and HTML: invalid and overlong UTF-8, lone
# surrogates, NUL bytes, byte-order marks, CR and CRLF line ends, empty and
# blank files, binary files (an ELF, a PNG). All in one run of a directory:
# each bad file is one error line with its byte offset, the good files still
# produce their claims, the exit status is 3.
. "$(dirname "$0")/lib.sh"

d=$TMP/in
mkdir "$d"
good_doc "$d"
# bad ones: the offset in the message is the first bad byte
printf 'Shelling killed 6 civilians \xff\xfe in Ganja.\n' >"$d/bad-ff.txt"            # byte 28
printf 'Overlong slash \xc0\xaf here. Shelling killed 6 civilians.\n' >"$d/bad-overlong.txt"  # byte 15
printf 'Overlong NUL \xc0\x80 here.\n' >"$d/bad-overlong-nul.txt"                    # byte 13
printf 'Four-byte overlong \xf0\x82\x82\xac here.\n' >"$d/bad-overlong4.txt"         # byte 19
printf 'High surrogate \xed\xa0\x80 alone.\n' >"$d/bad-surrogate-hi.txt"             # byte 15
printf 'Low surrogate \xed\xbf\xbf alone.\n' >"$d/bad-surrogate-lo.txt"              # byte 14
printf 'Beyond U+10FFFF \xf4\x90\x80\x80 here.\n' >"$d/bad-toobig.txt"               # byte 16
printf 'Cut short at the end \xe2\x82' >"$d/bad-truncated-seq.txt"                   # byte 21
printf 'Stray continuation \x80 byte.\n' >"$d/bad-continuation.txt"                 # byte 19
printf 'A NUL \x00 in the text. Shelling killed 6 civilians.\n' >"$d/bad-nul.txt"    # byte 6
# UTF-16 with a BOM is converted; cut in the middle of a code unit it is not
printf '\xff\xfeS\x00h\x00e\x00l' >"$d/bad-utf16le-bom.txt"
printf '\xfe\xff\x00S\x00h\x00' >"$d/bad-utf16be-bom.txt"
: >"$d/bad-empty.txt"
printf ' \r\n\t\n\n' >"$d/bad-blank.txt"
printf '\xef\xbb\xbf' >"$d/bad-bom-only.txt"
# an ELF header and a PNG signature, with some binary after them
gen "$d/bad-elf" "b'\x7fELF\x02\x01\x01\x00' + bytes(8) + bytes(range(256)) * 16"
# (a .png in a directory walk is passed over unread: named without it, it is sniffed)
gen "$d/bad-image" "b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)) * 16"
gen "$d/bad-elf-named.txt" "b'\x7fELF\x02\x01\x01\x00' + bytes(range(256)) * 4"
printf '<html><body><p>Shelling killed 6 civilians \xc0\xaf in Ganja.</p></body></html>' >"$d/bad-html-utf8.html"
printf '<html><body><p>Shelling killed 6 civilians.\x00</p></body></html>' >"$d/bad-html-nul.html"
# good ones
printf '\xef\xbb\xbfRockets injured 7 soldiers in Ganja, the ministry said.\n' >"$d/ok-bom.txt"
printf 'Shelling killed 8 civilians in Ganja.\r\nRockets injured 9 people in Ganja.\r\n' >"$d/ok-crlf.txt"
printf 'Shelling killed 10 civilians in Ganja.\rRockets injured 11 people in Ganja.\r' >"$d/ok-cr.txt"
printf '\xef\xbb\xbf<html><body><p>Shelling killed 12 civilians in Ganja.</p></body></html>' >"$d/ok-bom.html"
printf 'Ca\xcc\x81fe\xcc\x81 \xe2\x80\x8b\xe2\x80\x8f\xef\xbf\xbd \xf0\x9f\x92\xa3 Shelling killed 13 civilians in Ganja.\n' >"$d/ok-unicode.txt"

run "$d"
check "exit status 3" rc_is 3
check "output is JSON Lines" output_is_jsonl
check "good plain text still extracted" has_claim good killed 5
check "text after a UTF-8 BOM extracted" has_claim ok-bom injured 7
check "CRLF line ends: first sentence" has_claim ok-crlf killed 8
check "CRLF line ends: second sentence" has_claim ok-crlf injured 9
check "CR line ends: first sentence" has_claim ok-cr killed 10
check "CR line ends: second sentence" has_claim ok-cr injured 11
check "HTML after a BOM extracted" has_claim ok-bom killed 12
check "combining marks, zero-width and emoji are fine" has_claim ok-unicode killed 13
grep -q '"doc":"ok-bom","start":0,' "$OUT" && ok "BOM not counted in text offsets" || bad "BOM shifts offsets"
grep -q '"doc":"ok-crlf",.*"sentence":"Rockets injured 9 people in Ganja."' "$OUT" &&
    ok "CR not part of the evidence sentence" || bad "CR kept in the evidence sentence"

for want in "bad-ff.txt:28" "bad-overlong.txt:15" "bad-overlong-nul.txt:13" "bad-overlong4.txt:19" \
            "bad-surrogate-hi.txt:15" "bad-surrogate-lo.txt:14" "bad-toobig.txt:16" \
            "bad-truncated-seq.txt:21" "bad-continuation.txt:19" "bad-nul.txt:6"; do
    f=${want%%:*}; at=${want##*:}
    if [ "$(grep -c -F "/$f:" "$ERR")" -eq 1 ] && grep -F "/$f:" "$ERR" | grep -q "byte $at\b"; then
        ok "$f: one error line at byte $at"
    else
        bad "$f: want one error line with byte $at"
    fi
done
for f in bad-utf16le-bom.txt bad-utf16be-bom.txt bad-empty.txt bad-blank.txt bad-bom-only.txt \
         bad-elf bad-image bad-elf-named.txt bad-html-utf8.html bad-html-nul.html; do
    check "$f: one error line with a byte offset" err_line "/$f:"
done
grep -F '/bad-elf:' "$ERR" | grep -qi 'elf' && ok "ELF named as such" || bad "ELF not named"
grep -F '/bad-image:' "$ERR" | grep -qi 'png' && ok "PNG named as such" || bad "PNG not named"
nbad=$(ls "$d" | grep -c '^bad-')
[ "$(err_lines)" -eq "$nbad" ] && ok "one error line per bad file ($nbad)" || bad "$(err_lines) error lines for $nbad bad files"
! grep -q '"doc":"bad-' "$OUT" && ok "no claims from bad files" || bad "claims from a bad file"

# one bad file alone: exit 3; the good ones alone: exit 0
run "$d/bad-nul.txt"
check "a bad file alone exits 3" rc_is 3
run "$d/good.txt" "$d"/ok-*
check "only good files exit 0" rc_is 0
check "only good files: no stderr" no_errors
# standard input with a BOM and CRLF
printf '\xef\xbb\xbfShelling killed 14 civilians in Ganja.\r\n' >"$TMP/stdin.txt"
run - <"$TMP/stdin.txt"
check "stdin with BOM and CRLF exits 0" rc_is 0
check "stdin with BOM and CRLF extracted" has_claim stdin killed 14
printf 'Shelling \xc0\xaf killed 14 civilians.\n' >"$TMP/stdin-bad.txt"
run - <"$TMP/stdin-bad.txt"
check "bad stdin exits 3" rc_is 3
check "bad stdin named with its offset" err_line "stdin"

finish
