#!/usr/bin/env bash
# Work that grows with the input, counted (never timed): output bytes and
# peak RSS of `tally extract` at n and 10n stay within a factor of 10 (11
# for output: its byte offsets gain a digit) on run-on text and on dense
# paragraphs, and output per input byte stays under a documented constant
# (docs/limits.md, "Evidence" and "Output"). The run-on case at 10n is the
# 480 KB document of issue 17 ('7 civilians were killed ' x 20,000), which
# once gave 1.28 GB of JSON Lines.
. "$(dirname "$0")/lib.sh"
d=$TMP/in
texts <<'EOF2'
for k, n in (('n', 2000), ('10n', 20000)):
    w('runon-' + k, '7 civilians were killed ' * n)
    w('dense-' + k, 'Shelling killed 5 civilians in Ganja on Monday, officials said.\n\n' * n)
    # a list of figures with clauses, as a flattened table reads
    w('table-' + k, 'in Barda 3 killed, 4 injured; ' * n)
EOF2

# measure FILE [ARGS...]: "OUTPUT_BYTES PEAK_RSS_KB CLAIMS EXIT" of tally extract ARGS FILE
measure() {
    python3 - "$TALLY" "$TIMEOUT" "$@" <<'EOF2'
import resource, subprocess, sys
tally, timeout, path, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
out = subprocess.run([tally, 'extract'] + args + [path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(len(out.stdout), rss, out.stdout.count(b'\n'), out.returncode)
EOF2
}

for kind in runon dense table; do
    read -r o1 r1 c1 e1 <<<"$(measure "$d/$kind-n.txt")"
    read -r o10 r10 c10 e10 <<<"$(measure "$d/$kind-10n.txt")"
    in1=$(stat -c %s "$d/$kind-n.txt"); in10=$(stat -c %s "$d/$kind-10n.txt")
    echo "  $kind: input $in1 / $in10 bytes, output $o1 / $o10 bytes, peak RSS $r1 / $r10 KiB, claims $c1 / $c10"
    check "$kind: exit status 0 at n and 10n" [ "$e1" -eq 0 -a "$e10" -eq 0 ]
    check "$kind: claims at 10n are 10 times those at n ($c1, $c10)" [ "$c10" -eq $((10 * c1)) -a "$c1" -gt 0 ]
    check "$kind: output at 10n within 11 times that at n" [ "$o10" -le $((11 * o1)) ]
    check "$kind: peak RSS at 10n within 10 times that at n" [ "$r10" -le $((10 * r1)) ]
    # every claim's line is bounded: at most 128 output bytes per input byte (docs/limits.md)
    check "$kind: output at most 128 bytes a byte of input ($((o10 / in10)))" [ "$o10" -le $((128 * in10)) ]
done
# -j N: the document at the head of the output writes it as it goes (not
# held whole: about the memory of -j 1; it was 1.3 times that when each
# document's output waited whole in its slot), and the output is the same
read -r o1 r1 c1 e1 <<<"$(measure "$d/runon-10n.txt")"
read -r o2 r2 c2 e2 <<<"$(measure "$d/runon-10n.txt" -j 2)"
echo "  runon 10n: peak RSS -j 1 $r1 KiB, -j 2 $r2 KiB"
check "-j 2 on one huge document: peak RSS within 1.15 times -j 1's" [ "$((100 * r2))" -le "$((115 * r1))" ]
run -j 1 "$d"; cp "$OUT" "$TMP/all.j1"
run -j 3 "$d"
check "-j 3 over every input: the output of -j 1, byte for byte" cmp -s "$OUT" "$TMP/all.j1"
finish
