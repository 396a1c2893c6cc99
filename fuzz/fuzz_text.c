/* fuzz_text.c -- the text pipeline: tally_extract on raw bytes (UTF-8
 * validation, tokens, sentences, lexicon matching, numbers, dates, claims,
 * context), with every mention kept and every writer run. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tally_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.id.ptr = "fuzz";
    doc.id.len = 4;
    doc.text.ptr = (const char *)data;
    doc.text.len = size;
    fz_extract(&doc, TALLY_OPT_MENTIONS);
    return 0;
}
