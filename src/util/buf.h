/* buf.h -- a growable byte buffer (heap, through a tally_alc). */
#ifndef TLY_BUF_H
#define TLY_BUF_H
#include "tally.h"
#include "tally_ledger.h"
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
/* v in decimal, as printf's "%llu" / "%lld" writes it, without printf. */
int tly_buf_u64(tly_buf *b, uint64_t v);
int tly_buf_i64(tly_buf *b, int64_t v);
/* The one JSON string escaper of tally (library, CLI and server).
 * tly_json_str appends s[0..n) as a JSON string literal (with quotes):
 * quote, backslash and control characters are escaped (\n \r \t, else
 * \u00XX), U+2028 and U+2029 become \u2028 / \u2029, and an invalid UTF-8
 * byte becomes U+FFFD. Flags:
 *  TLY_JSON_HTML   also \u-escapes < > & ' and DEL, and writes U+FFFD as
 *                  \ufffd: the output is pure inert text even if a browser
 *                  sniffed it as HTML or script (tally serve);
 *  TLY_JSON_BYTES  copies every byte >= 0x80 as it is (no UTF-8 check, no
 *                  U+2028/9 escape): the ledger commands' output, whose
 *                  strings the library already stored as UTF-8.
 * Returns 0 when the buffer failed (out of memory). */
#define TLY_JSON_HTML 1u
#define TLY_JSON_BYTES 2u
/* tly_json_row: REAL columns printed with %.10g (the server's numbers) */
#define TLY_JSON_REAL_G10 4u
int tly_json_str(tly_buf *b, const char *s, size_t n, unsigned flags);
/* tly_json_str with flags 0. */
int tly_buf_json_str(tly_buf *b, const char *s, size_t n);
/* One ledger row as a JSON object {"name":value,...} in column order: NULL
 * is null, INT and REAL columns are numbers (their text, or %.10g with
 * TLY_JSON_REAL_G10), TEXT columns strings (tly_json_str with flags). The
 * columns named in skip (a NULL-terminated list, or NULL) are left out. */
int tly_json_row(tly_buf *b, const tally_ledger_row *r, unsigned flags, const char *const *skip);
/* The one HTML escaper (tally serve's pages): appends s[0..n) as HTML text
 * that is also a safe double- or single-quoted attribute value: & < > " '
 * as character references, control characters other than tab, newline and
 * carriage return dropped, an invalid UTF-8 byte as U+FFFD. */
int tly_html_str(tly_buf *b, const char *s, size_t n);
/* One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or
 * LF (quotes doubled). TLY_CSV_TEXT: a text value that starts with = + -
 * @, a tab or CR gets a leading ' so that a spreadsheet does not run it as
 * a formula. Returns 0 when the buffer failed. */
#define TLY_CSV_TEXT 1u
int tly_csv_field(tly_buf *b, const char *s, size_t n, unsigned flags);
#endif
