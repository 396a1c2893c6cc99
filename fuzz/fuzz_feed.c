/* fuzz_feed.c -- the feed reader (RSS, RDF, Atom) and the charset paths.
 * The first byte picks: 0: the rest as "x.rss"; 1: as "x.atom"; 2: as an
 * HTML page that declares windows-1251 (iconv); 3: as UTF-16LE text. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned mode = data[0] % 4;
    data++, size--;
    if (mode == 0) { fz_read_all("x.rss", data, size, 0); return 0; }
    if (mode == 1) { fz_read_all("x.atom", data, size, 0); return 0; }
    static const char head[] = "<html><head><meta charset=\"windows-1251\"></head><body><p>";
    static const uint8_t bom[] = {0xFF, 0xFE};
    const uint8_t *pre = mode == 2 ? (const uint8_t *)head : bom;
    size_t np = mode == 2 ? sizeof head - 1 : sizeof bom;
    uint8_t *buf = malloc(np + size + 1);
    if (!buf) return 0;
    memcpy(buf, pre, np);
    if (size) memcpy(buf + np, data, size);
    fz_read_all(mode == 2 ? "x.html" : "x.txt", buf, np + size, 0);
    free(buf);
    return 0;
}
