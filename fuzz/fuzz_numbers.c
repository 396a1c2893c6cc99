/* fuzz_numbers.c -- figures: a short phrase (at most 96 bytes) put where a
 * casualty figure goes, in one of a few claim frames, so that the number
 * grammar (digits, words, qualifiers, ranges, "dozens") is what varies. */
#include "fuzz_common.h"

static const char *const frames[][2] = {
    {"Shelling killed ", " civilians in Ganja on Monday, officials said."},
    {"", " people were killed and 12 injured."},
    {"The death toll rose to ", ", the ministry said."},
    {"At least ", " soldiers were wounded."},
    {"Rockets injured between ", " people."},
    {"The strike claimed the lives of ", " residents."},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 97) return 0;
    const char *const *f = frames[data[0] % (sizeof frames / sizeof frames[0])];
    data++, size--;
    size_t a = strlen(f[0]), b = strlen(f[1]);
    char buf[256];
    memcpy(buf, f[0], a);
    memcpy(buf + a, data, size);
    memcpy(buf + a + size, f[1], b);
    tally_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.id.ptr = "fuzz";
    doc.id.len = 4;
    doc.text.ptr = buf;
    doc.text.len = a + size + b;
    fz_extract(&doc, TALLY_OPT_MENTIONS);
    return 0;
}
