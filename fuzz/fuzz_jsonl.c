/* fuzz_jsonl.c -- the JSON Lines reader (strict RFC 8259, escapes,
 * surrogates, depth limit, ids, metadata) and extraction of each line. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_read_all("x.jsonl", data, size, 0);
    return 0;
}
