/* fuzz_common.h -- shared by the libFuzzer targets of fuzz/.
 *
 * The lexicon is opened once per process (static) with the gazetteer of
 * $TALLY_GAZETTEER, else the path the build made it at. Every result is
 * checked for what the public header promises (spans inside the text, in
 * order) and written to a null sink, so the writers run too; a broken promise
 * is a crash (abort), which libFuzzer saves. */
#ifndef TALLY_FUZZ_COMMON_H
#define TALLY_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline const tally_lexicon *fz_lexicon(void) {
    static tally_lexicon *lex;
    if (!lex) {
        tally_lexicon_options lo;
        memset(&lo, 0, sizeof lo);
        tally_error err;
        if (tally_lexicon_open(&lo, &lex, &err) != TALLY_OK) {
            fprintf(stderr, "fuzz: cannot open the lexicon: %s (set TALLY_GAZETTEER)\n", err.message);
            abort();
        }
    }
    return lex;
}

/* A write callback that keeps nothing, but touches every byte. */
static inline int fz_sink(void *ctx, const char *data, size_t len) {
    size_t *sum = ctx;
    for (size_t i = 0; i < len; i++) *sum += (unsigned char)data[i];
    return 0;
}

#define FZ_CHECK(cond)                                                                          \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "fuzz: broken promise at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

static inline void fz_span(size_t a, size_t b, size_t len) {
    if (a == TALLY_NO_SPAN) { FZ_CHECK(b == TALLY_NO_SPAN); return; }
    FZ_CHECK(a <= b);
    FZ_CHECK(b <= len);
}

/* Checks a result against the document it came from, then writes it every way. */
static inline void fz_check_result(const tally_result *res, const tally_doc *doc) {
    size_t len = doc->text.len;
    const tally_claim *c;
    size_t n = tally_result_claims(res, &c);
    for (size_t i = 0; i < n; i++) {
        fz_span(c[i].start, c[i].end, len);
        fz_span(c[i].count_start, c[i].count_end, len);
        fz_span(c[i].place_start, c[i].place_end, len);
        fz_span(c[i].date_span_start, c[i].date_span_end, len);
        fz_span(c[i].claimant_start, c[i].claimant_end, len);
        FZ_CHECK(c[i].count_low == TALLY_OPEN || c[i].count_low >= 0);
        FZ_CHECK(c[i].count_high == TALLY_OPEN || c[i].count_high >= 0);
        FZ_CHECK(c[i].count_low == TALLY_OPEN || c[i].count_high == TALLY_OPEN ||
                 c[i].count_low <= c[i].count_high);
        FZ_CHECK(tally_outcome_name(c[i].outcome) != NULL);
        char a[16], b[16];
        tally_date_format(c[i].date_start, a, sizeof a);
        tally_date_format(c[i].date_end, b, sizeof b);
    }
    const tally_mention *m;
    n = tally_result_mentions(res, &m);
    for (size_t i = 0; i < n; i++) fz_span(m[i].start, m[i].end, len);
    const tally_timex *t;
    n = tally_result_timexes(res, &t);
    for (size_t i = 0; i < n; i++) {
        fz_span(t[i].start, t[i].end, len);
        FZ_CHECK(t[i].value != NULL);
    }
    const char *basis = NULL;
    (void)tally_result_reference_date(res, &basis);
    FZ_CHECK(basis != NULL);

    size_t sum = 0;
    FZ_CHECK(tally_result_write(res, doc, TALLY_FORMAT_JSONL, fz_sink, &sum) == TALLY_OK);
    FZ_CHECK(tally_result_write(res, doc, TALLY_FORMAT_TSV, fz_sink, &sum) == TALLY_OK);
    FZ_CHECK(tally_result_write_mentions(res, doc, fz_sink, &sum) == TALLY_OK);
    FZ_CHECK(tally_result_write_timex(res, doc, fz_sink, &sum) == TALLY_OK);
}

/* Extracts one document with the given flags and checks the result. */
static inline tally_status fz_extract(const tally_doc *doc, unsigned flags) {
    tally_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = flags;
    opt.default_published.year = 2020;
    opt.default_published.month = 10;
    opt.default_published.day = 4;
    tally_result *res = NULL;
    tally_error err;
    tally_status st = tally_extract(fz_lexicon(), doc, &opt, &res, &err);
    if (st != TALLY_OK) {
        FZ_CHECK(res == NULL);
        FZ_CHECK(memchr(err.message, 0, sizeof err.message) != NULL);
        FZ_CHECK(memchr(err.doc, 0, sizeof err.doc) != NULL);
        return st;
    }
    fz_check_result(res, doc);
    tally_result_free(res);
    return st;
}

/* Reads every document of an input in memory named `name` (the name gives the
 * format) and extracts each one. The reader promises to go on after an error
 * and to end: a bound on the number of calls catches a reader that loops. */
static inline void fz_read_all(const char *name, const uint8_t *data, size_t size, unsigned flags) {
    tally_reader *r = NULL;
    tally_error err;
    if (tally_reader_open_memory(name, (const char *)data, size, NULL, &r, &err) != TALLY_OK) return;
    tally_reader_set_max_doc_bytes(r, 1 << 20);
    for (size_t calls = 0;; calls++) {
        FZ_CHECK(calls <= size * 1100 + 16); /* gzip inflates at most ~1032:1 */
        tally_doc doc;
        tally_status st = tally_reader_next(r, &doc, &err);
        if (st == TALLY_DONE) break;
        if (st != TALLY_OK) {
            FZ_CHECK(memchr(err.message, 0, sizeof err.message) != NULL);
            FZ_CHECK(memchr(err.doc, 0, sizeof err.doc) != NULL);
            continue;
        }
        FZ_CHECK(doc.text.ptr != NULL && doc.text.len > 0);
        FZ_CHECK(memchr(doc.text.ptr, 0, doc.text.len) == NULL);
        /* docs/input.md: every doc->text is valid UTF-8 without NUL bytes */
        tally_status xs = fz_extract(&doc, flags);
        FZ_CHECK(xs != TALLY_ERR_UTF8 && xs != TALLY_ERR_BINARY);
    }
    tally_reader_close(r);
}

#endif
