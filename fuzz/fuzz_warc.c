/* fuzz_warc.c -- the WARC reader, plain and gzipped. The first byte picks:
 *   0: the rest as "x.warc";
 *   1: the rest gzipped here (one member) as "x.warc.gz", so that the WARC
 *      parser behind the gzip stream sees the fuzzer's bytes;
 *   2: the rest as "x.warc.gz" as it is (gzip framing and errors). */
#include <zlib.h>

#include "fuzz_common.h"

static size_t gzip_bytes(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? len : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned mode = data[0] % 3;
    data++, size--;
    if (mode == 0) {
        fz_read_all("x.warc", data, size, 0);
    } else if (mode == 1) {
        size_t cap = size + size / 100 + 64;
        uint8_t *gz = malloc(cap);
        if (!gz) return 0;
        size_t n = gzip_bytes(data, size, gz, cap);
        if (n) fz_read_all("x.warc.gz", gz, n, 0);
        free(gz);
    } else {
        fz_read_all("x.warc.gz", data, size, 0);
    }
    return 0;
}
