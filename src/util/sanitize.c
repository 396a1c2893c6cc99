/* sanitize.c -- see sanitize.h. */
#include "sanitize.h"
#include "text/fold.h"

#include <stdint.h>

static int is_bidi(int32_t cp) {
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static int is_break(int32_t cp) {
    return cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0x2028 ||
           cp == 0x2029;
}

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

int tly_sanitize_display(tly_buf *b, const char *s, size_t n, unsigned flags) {
    const unsigned char *p = (const unsigned char *)s;
    int esc = (flags & TLY_DISPLAY_ESCAPE) != 0;
    size_t i = 0, run = 0; /* p[run..i) is safe and not yet copied */
    while (i < n) {
        int32_t cp;
        size_t l;
        if (p[i] < 0x80) { cp = p[i]; l = 1; }
        else if (!(l = tly_utf8_decode(p + i, n - i, &cp))) cp = -1; /* invalid byte */
        int bad = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi(cp) || (esc && cp == '\\');
        if ((flags & TLY_DISPLAY_KEEP_TAB_LF) && (cp == '\t' || cp == '\n')) bad = 0;
        if (!bad && cp != 0x2028 && cp != 0x2029) { i += l; continue; }
        if (!bad && !(flags & TLY_DISPLAY_CELL)) { i += l; continue; } /* U+2028/9 kept outside cells */
        tly_buf_put(b, s + run, i - run);
        if (cp == -1) l = 1;
        if ((flags & TLY_DISPLAY_CELL) && is_break(cp)) tly_buf_putc(b, ' ');
        else if (esc && cp == '\\') tly_buf_puts(b, "\\\\");
        else if (esc && cp < 0x80) tly_buf_printf(b, "\\x%02X", (unsigned)p[i]); /* C0, DEL, invalid byte */
        else if (esc) tly_buf_printf(b, "\\u{%04X}", (unsigned)cp);
        else tly_buf_puts(b, REPLACEMENT);
        i += l;
        run = i;
    }
    tly_buf_put(b, s + run, n - run);
    return !b->failed;
}
