/* words.c -- the words of a search as people type it (words.h). */
#include "util/words.h"
#include <string.h>

static int space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t tly_query_words(const char *q, tly_word_fn fn, void *ctx) {
    size_t given = 0;
    const char *p = q;
    while (*p) {
        while (space(*p)) p++;
        const char *w = p;
        int word = 0;
        while (*p && !space(*p)) {
            unsigned char c = (unsigned char)*p++;
            word |= c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        }
        if (!word) continue;
        const char *end = p;
        if (end - w > 2 && (end[-1] == 's' || end[-1] == 'S') && end[-2] == '\'') end -= 2;
        else if (end - w > 4 && (end[-1] == 's' || end[-1] == 'S') && !memcmp(end - 4, "\xe2\x80\x99", 3)) end -= 4;
        given++;
        if (fn(ctx, w, (size_t)(end - w))) break;
    }
    return given;
}
