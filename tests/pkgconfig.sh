#!/usr/bin/env bash
# The installed library as a C user sees it: `cmake --install` into a
# temporary prefix, then a program built with `pkg-config --cflags --libs tally`.
#   tests/pkgconfig.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: pkgconfig.sh BUILD_DIR}
command -v pkg-config >/dev/null || { echo "pkg-config not installed: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tally-pc.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name tally.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: no tally.pc installed"; exit 1; }
cat > "$tmp/hello.c" <<'C'
#include <tally.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    printf("%s %s\n", tally_version(), tally_outcome_name(TALLY_KILLED));
    return strcmp(tally_outcome_name(TALLY_INJURED), "injured") != 0;
}
C
export PKG_CONFIG_PATH=$(dirname "$pc")
cc -std=c17 -Wall -Werror "$tmp/hello.c" $(pkg-config --cflags --libs tally) -o "$tmp/hello"
out=$(LD_LIBRARY_PATH=$(pkg-config --variable=libdir tally) "$tmp/hello")
echo "$out"
case "$out" in *" killed") echo "pkgconfig: ok" ;; *) echo "FAIL: $out"; exit 1 ;; esac
