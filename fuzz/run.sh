#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# Runs each libFuzzer target of BUILD_DIR/fuzz (built with -DTALLY_FUZZ=ON)
# for SECONDS, one after the other (never in parallel), niced. Each target
# starts from a seed corpus made here from examples/, the texts of
# tests/spec/*.spec and tests/data/io/ (kept in BUILD_DIR/fuzz/corpus/TARGET,
# which also keeps what the fuzzer finds, so later runs go on from there),
# with fuzz/dict/tally.dict. Prints the executions and the coverage of each
# target. A crash, leak, timeout or out-of-memory input is saved under
# fuzz/crashes/ (TARGET-crash-SHA1, ...) and makes the script exit 1.
set -u
BUILD=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
SECONDS_EACH=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
TARGETS=${*:-text numbers dates html jsonl warc feed extract}
CRASHES=$SRC/fuzz/crashes
mkdir -p "$CRASHES"
export TALLY_GAZETTEER=${TALLY_GAZETTEER:-$BUILD/data/gazetteer.bin}
# libFuzzer turns leak detection on; UBSan reports must stop the run.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}

seeds() { # seeds TARGET DIR: writes the seed inputs of TARGET into DIR
    python3 - "$SRC" "$1" "$2" <<'EOF'
import glob, gzip, hashlib, json, os, sys
src, target, out = sys.argv[1:4]
def put(data):
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), 'wb') as f: f.write(data)
def spec_texts():
    for path in sorted(glob.glob(os.path.join(src, 'tests/spec/*.spec'))):
        lines = open(path, encoding='utf-8').read().split('\n')
        i = 0
        while i < len(lines):
            if lines[i].strip() == 'text:':
                j = i + 1
                while j < len(lines) and lines[j].strip() != 'claims:' and not lines[j].startswith('==='):
                    j += 1
                yield '\n'.join(lines[i + 1:j]).strip().encode('utf-8')
                i = j
            else:
                i += 1
def files(*pats):
    for p in pats:
        for path in sorted(glob.glob(os.path.join(src, p))):
            yield open(path, 'rb').read()
texts = list(spec_texts()) + list(files('examples/*.txt'))
htmls = list(files('examples/*.html', 'tests/data/io/*.html'))
jsonls = list(files('examples/*.jsonl'))
jsonls.append(b'\n'.join(json.dumps({'id': 's%d' % i, 'text': t.decode('utf-8'), 'published': '2020-10-04'}).encode()
                         for i, t in enumerate(texts[:40])))
warcs = list(files('tests/data/io/*.warc'))
def warc_of(t, i):
    rec = lambda body: (b'WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:%d>\r\n'
                        b'WARC-Date: 2020-10-04T10:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n'
                        % (i, len(body))) + body + b'\r\n\r\n'
    return rec(t)
warcs.append(b''.join(warc_of(t, i) for i, t in enumerate(texts[:10])))
if target == 'text':
    for t in texts: put(t)
elif target == 'numbers':
    for i, p in enumerate([b'5', b'more than 500', b'at least 20', b'up to 30', b'dozens of', b'twenty-six',
                           b'1,240', b'12 500', b'between 10 and 15', b'nearly 2,000', b'hundreds of',
                           b'a dozen', b'three hundred and four', b'26 (twenty six)', b'10-15', b'1.5 million',
                           b'several', b'no fewer than 7', b'some 40', b'9 or 10', b'3 of the 11']):
        put(bytes([i % 6]) + p)
elif target == 'dates':
    for t in texts:
        put(bytes([120, 10, 4]) + t[:256])
    for d in [b'on 4 October', b'last Sunday', b'since 27 September', b'between 10 and 16 July 2020',
              b'on the night of 16-17 October', b'2020-10-04T10:00:00Z', b'32 October', b'2882015',
              b'in the past week', b'as of 9 November 2020', b'on 5th, 8th and 17th October']:
        put(bytes([120, 10, 4]) + d)
elif target == 'html':
    for h in htmls: put(h)
    for t in texts[:30]: put(b'<html><body><article><p>' + t + b'</p></article></body></html>')
elif target == 'jsonl':
    for j in jsonls: put(j)
elif target == 'warc':
    for w in warcs:
        put(b'\x00' + w); put(b'\x01' + w); put(b'\x02' + gzip.compress(w))
elif target == 'feed':
    for f in files('tests/data/io/*.rss'): put(b'\x00' + f)
    for f in files('tests/data/io/*.atom'): put(b'\x01' + f)
    for t in texts[:20]:
        put(b'\x02' + t.decode('utf-8').encode('cp1251', 'replace'))
        put(b'\x03' + t.decode('utf-8').encode('utf-16-le'))
elif target == 'extract':
    for x in texts[:60] + htmls + jsonls + warcs: put(x)
    for w in warcs: put(gzip.compress(w))
    put(gzip.compress(texts[0]))
EOF
}

status=0
summary=""
for t in $TARGETS; do
    bin=$BUILD/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then echo "run.sh: $bin not built" >&2; status=1; continue; fi
    corpus=$BUILD/fuzz/corpus/$t
    seeddir=$BUILD/fuzz/seeds/$t
    rm -rf "$seeddir"; mkdir -p "$corpus" "$seeddir"
    seeds "$t" "$seeddir"
    log=$BUILD/fuzz/fuzz_$t.log
    echo "== fuzz_$t: ${SECONDS_EACH}s, $(ls "$seeddir" | wc -l) seeds, $(ls "$corpus" | wc -l) in the corpus"
    nice -n 10 "$bin" "$corpus" "$seeddir" \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        -dict="$SRC/fuzz/dict/tally.dict" -artifact_prefix="$CRASHES/$t-" \
        >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    units=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*$')
    line=$(printf '%-14s %8ss %12s execs %7s cov %7s ft %6s corpus  exit %s' "fuzz_$t" "$SECONDS_EACH" \
        "${execs:-?}" "${cov:-?}" "${ft:-?}" "${units:-?}" "$rc")
    echo "$line"
    summary="$summary$line"$'\n'
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "fuzz_$t FAILED (exit $rc); log: $log" >&2
        grep -E 'ERROR|SUMMARY|runtime error|broken promise|Test unit written' "$log" | head -10 >&2
    fi
done
echo
echo "target            time        executions      cov      ft  corpus"
printf '%s' "$summary"
exit $status
