#include "buf.h"
#include "utf8.h"
#include "arena.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tly_buf_init(tly_buf *b, const tally_alc *alc) {
    memset(b, 0, sizeof *b);
    b->alc = alc ? alc : tly_default_alc();
}

void tly_buf_free(tly_buf *b) {
    if (b->data) b->alc->free(b->alc->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int tly_buf_reserve(tly_buf *b, size_t extra) {
    if (b->failed) return 0;
    if (b->len + extra + 1 <= b->cap) return 1;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + extra + 1) {
        if (nc > ((size_t)-1) / 2) { b->failed = 1; return 0; }
        nc *= 2;
    }
    char *nd = b->data ? b->alc->realloc(b->alc->ctx, b->data, b->cap, nc)
                       : b->alc->malloc(b->alc->ctx, nc);
    if (!nd) { b->failed = 1; return 0; }
    b->data = nd;
    b->cap = nc;
    return 1;
}

int tly_buf_put(tly_buf *b, const char *s, size_t n) {
    if (!tly_buf_reserve(b, n)) return 0;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
    return 1;
}

int tly_buf_puts(tly_buf *b, const char *s) { return tly_buf_put(b, s, strlen(s)); }
int tly_buf_putc(tly_buf *b, char c) { return tly_buf_put(b, &c, 1); }

int tly_buf_u64(tly_buf *b, uint64_t v) {
    char d[20];
    size_t n = 0;
    do { d[sizeof d - 1 - n++] = (char)('0' + v % 10); v /= 10; } while (v);
    return tly_buf_put(b, d + sizeof d - n, n);
}

int tly_buf_i64(tly_buf *b, int64_t v) {
    if (v >= 0) return tly_buf_u64(b, (uint64_t)v);
    if (!tly_buf_putc(b, '-')) return 0;
    return tly_buf_u64(b, (uint64_t)0 - (uint64_t)v);
}

int tly_buf_printf(tly_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !tly_buf_reserve(b, (size_t)n)) return 0;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 1;
}

/* length of a valid UTF-8 sequence at s, 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n) {
    int32_t cp;
    return tly_utf8_decode(s, n, &cp);
}

int tly_json_str(tly_buf *b, const char *s, size_t n, unsigned flags) {
    static const char hex[] = "0123456789abcdef";
    const int html = (flags & TLY_JSON_HTML) != 0, bytes = (flags & TLY_JSON_BYTES) != 0;
    if (!tly_buf_reserve(b, n + 2)) return 0;
    tly_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        const unsigned char *q = p;
        while (q < e && *q >= 0x20 && *q != '"' && *q != '\\' &&
               (*q < 0x80 ? !html || (*q != '<' && *q != '>' && *q != '&' && *q != '\'' && *q != 0x7f) : bytes))
            q++;
        if (q > p) { tly_buf_put(b, (const char *)p, (size_t)(q - p)); p = q; continue; }
        unsigned c = *p;
        if (c == '"') { tly_buf_put(b, "\\\"", 2); p++; }
        else if (c == '\\') { tly_buf_put(b, "\\\\", 2); p++; }
        else if (c == '\n') { tly_buf_put(b, "\\n", 2); p++; }
        else if (c == '\r') { tly_buf_put(b, "\\r", 2); p++; }
        else if (c == '\t') { tly_buf_put(b, "\\t", 2); p++; }
        else if (c < 0x80) { /* a control character, or one of < > & ' DEL (html) */
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tly_buf_put(b, u, 6); p++;
        } else {
            size_t l = utf8_len(p, (size_t)(e - p));
            if (l == 0) {
                if (html) tly_buf_put(b, "\\ufffd", 6);
                else tly_buf_put(b, "\xEF\xBF\xBD", 3);
                p++;
            } else if (l == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
                tly_buf_put(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029", 6); p += 3;
            } else { tly_buf_put(b, (const char *)p, l); p += l; }
        }
    }
    return tly_buf_putc(b, '"');
}

int tly_buf_json_str(tly_buf *b, const char *s, size_t n) { return tly_json_str(b, s, n, 0); }

int tly_html_str(tly_buf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        const unsigned char *q = p;
        while (q < e && *q >= 0x20 && *q < 0x7f && !strchr("&<>\"'", *q)) q++;
        if (q > p) { tly_buf_put(b, (const char *)p, (size_t)(q - p)); p = q; continue; }
        unsigned c = *p;
        if (c == '&') tly_buf_puts(b, "&amp;");
        else if (c == '<') tly_buf_puts(b, "&lt;");
        else if (c == '>') tly_buf_puts(b, "&gt;");
        else if (c == '"') tly_buf_puts(b, "&quot;");
        else if (c == '\'') tly_buf_puts(b, "&#39;");
        else if (c == '\t' || c == '\n' || c == '\r') tly_buf_putc(b, (char)c);
        else if (c >= 0x80) {
            size_t l = utf8_len(p, (size_t)(e - p));
            if (l == 0) { tly_buf_put(b, "\xEF\xBF\xBD", 3); p++; }
            else { tly_buf_put(b, (const char *)p, l); p += l; }
            continue;
        }
        p++; /* another control character, DEL: dropped */
    }
    return !b->failed;
}

int tly_csv_field(tly_buf *b, const char *s, size_t n, unsigned flags) {
    int formula = (flags & TLY_CSV_TEXT) && n && s[0] && strchr("=+-@\t\r", s[0]);
    int quote = formula && s[0] == '\r';
    for (size_t i = 0; i < n && !quote; i++) quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (quote) tly_buf_putc(b, '"');
    if (formula) tly_buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') tly_buf_putc(b, '"');
        tly_buf_putc(b, s[i]);
    }
    if (quote) tly_buf_putc(b, '"');
    return !b->failed;
}

int tly_json_row(tly_buf *b, const tally_ledger_row *r, unsigned flags, const char *const *skip) {
    tly_buf_putc(b, '{');
    int first = 1;
    for (size_t i = 0; i < r->ncols; i++) {
        int skipped = 0;
        for (size_t k = 0; skip && skip[k] && !skipped; k++) skipped = !strcmp(r->names[i], skip[k]);
        if (skipped) continue;
        if (!first) tly_buf_putc(b, ',');
        first = 0;
        tly_json_str(b, r->names[i], strlen(r->names[i]), flags);
        tly_buf_putc(b, ':');
        const char *v = r->values[i];
        if (!v) tly_buf_puts(b, "null");
        else if (r->types[i] == TALLY_LEDGER_REAL && (flags & TLY_JSON_REAL_G10))
            tly_buf_printf(b, "%.10g", strtod(v, NULL));
        else if (r->types[i] == TALLY_LEDGER_INT || r->types[i] == TALLY_LEDGER_REAL) tly_buf_puts(b, v);
        else tly_json_str(b, v, strlen(v), flags);
    }
    return tly_buf_putc(b, '}');
}
