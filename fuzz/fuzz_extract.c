/* fuzz_extract.c -- the whole path of `tally extract` on one input: the
 * reader sniffs the format from the content (name "x", no extension: gzip,
 * WARC, JSON Lines, HTML or text), then every document is extracted with
 * mentions and TIMEX3 kept, and written as JSON Lines and TSV to a null sink. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_read_all("x", data, size, TALLY_OPT_MENTIONS | TALLY_OPT_TIMEX);
    return 0;
}
