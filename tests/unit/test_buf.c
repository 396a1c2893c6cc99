/* test_buf.c -- the buffer's decimal writers (src/util/buf.h: tly_buf_u64,
 * tly_buf_i64) write what printf writes, for the claim writers of src/api.c. */
#include "util/buf.h"
#include "unit_check.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    static const int64_t iv[] = {0, 1, -1, 9, 10, -10, 99, 12345, -987654321, INT64_MAX, INT64_MIN, 1000000007};
    static const uint64_t uv[] = {0, 1, 10, 4294967295u, 4294967296u, UINT64_MAX};
    for (size_t i = 0; i < sizeof iv / sizeof *iv; i++) {
        tly_buf b;
        tly_buf_init(&b, NULL);
        char want[32];
        snprintf(want, sizeof want, "%" PRId64, iv[i]);
        int ok = tly_buf_i64(&b, iv[i]);
        CHECK(ok && b.len == strlen(want) && !memcmp(b.data, want, b.len), "i64 %s: %.*s", want, (int)b.len, b.data ? b.data : "");
        tly_buf_free(&b);
    }
    for (size_t i = 0; i < sizeof uv / sizeof *uv; i++) {
        tly_buf b;
        tly_buf_init(&b, NULL);
        tly_buf_puts(&b, "x:");
        char want[32];
        snprintf(want, sizeof want, "x:%" PRIu64, uv[i]);
        int ok = tly_buf_u64(&b, uv[i]);
        CHECK(ok && b.len == strlen(want) && !memcmp(b.data, want, b.len) && !b.data[b.len], "u64 %s: %.*s", want,
              (int)b.len, b.data ? b.data : "");
        tly_buf_free(&b);
    }
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
