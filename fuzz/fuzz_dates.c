/* fuzz_dates.c -- dates: the TIMEX3 tagger on short texts (at most 256
 * bytes) against a reference date taken from the first bytes, plus
 * tally_date_parse / tally_date_format, which must round-trip. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3 || size > 259) return 0;
    /* tally_date_parse on the raw bytes: what parses formats and parses back */
    tally_date d;
    if (tally_date_parse((const char *)data, size, &d)) {
        char buf[16];
        size_t n = tally_date_format(d, buf, sizeof buf);
        FZ_CHECK(n < sizeof buf && buf[n] == 0);
        FZ_CHECK(d.month >= 0 && d.month <= 12 && d.day >= 0 && d.day <= 31);
        tally_date e;
        if (n) {
            FZ_CHECK(tally_date_parse(buf, n, &e));
            FZ_CHECK(e.year == d.year && e.month == d.month && e.day == d.day);
        }
    }
    tally_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.id.ptr = "fuzz";
    doc.id.len = 4;
    /* a reference date: year 1900..2155, month 0..12, day 0..28 */
    doc.published.year = (int16_t)(1900 + data[0]);
    doc.published.month = (int8_t)(data[1] % 13);
    doc.published.day = doc.published.month ? (int8_t)(data[2] % 29) : 0;
    doc.text.ptr = (const char *)data + 3;
    doc.text.len = size - 3;
    fz_extract(&doc, TALLY_OPT_TIMEX);
    return 0;
}
