/* buf.h -- a growable byte buffer (heap, through a tally_alc). */
#ifndef TLY_BUF_H
#define TLY_BUF_H
#include "tally.h"
#include <stddef.h>

typedef struct tly_buf {
    char *data;
    size_t len, cap;
    const tally_alc *alc;
    int failed;
} tly_buf;

void tly_buf_init(tly_buf *b, const tally_alc *alc);
void tly_buf_free(tly_buf *b);
int tly_buf_reserve(tly_buf *b, size_t extra);
int tly_buf_put(tly_buf *b, const char *s, size_t n);
int tly_buf_puts(tly_buf *b, const char *s);
int tly_buf_putc(tly_buf *b, char c);
int tly_buf_printf(tly_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (with quotes); invalid UTF-8 becomes U+FFFD. */
int tly_buf_json_str(tly_buf *b, const char *s, size_t n);
#endif
