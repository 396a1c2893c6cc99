/* fuzz_html.c -- the HTML reader (depth pre-scan, gumbo, article choice,
 * boilerplate rules, metadata, charsets) and extraction of what it yields. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_read_all("x.html", data, size, 0);
    return 0;
}
