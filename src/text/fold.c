#include "fold.h"
#include <string.h>
#include <utf8proc.h>

int tly_cp_is_letter(int32_t cp) {
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_MN ||
           c == UTF8PROC_CATEGORY_MC;
}

int tly_cp_is_upper(int32_t cp) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int tly_cp_is_space(int32_t cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 9 && cp <= 13);
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF ||
           cp == 0x200B;
}

size_t tly_collapse_space(const char *s, size_t n, char *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = tly_utf8_decode(p + i, n - i, &cp);
        if (l && tly_cp_is_space(cp)) { space = 1; i += l; continue; }
        if (!l) l = 1; /* an invalid byte is copied as it is */
        if (space && o) out[o++] = ' ';
        space = 0;
        memcpy(out + o, p + i, l);
        o += l;
        i += l;
    }
    out[o] = 0;
    return o;
}

static size_t put(char *out, size_t cap, size_t o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++, o++)
        if (o < cap) out[o] = s[i];
    return o;
}

/* Letters that do not decompose but have an obvious Latin base. */
static const char *special(int32_t cp) {
    switch (cp) {
    case 0x0259: case 0x018F: return "a";  /* ə Ə (Azerbaijani schwa) */
    case 0x0131: return "i";               /* dotless ı */
    case 0x0130: return "i";               /* İ */
    case 0x0142: case 0x0141: return "l";  /* ł */
    case 0x00F8: case 0x00D8: return "o";  /* ø */
    case 0x0111: case 0x0110: return "d";  /* đ */
    case 0x00E6: case 0x00C6: return "ae";
    case 0x0153: case 0x0152: return "oe";
    case 0x00DF: return "ss";
    case 0x00FE: case 0x00DE: return "th";
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
    case 0x02BB: case 0x0060: case 0x00B4: return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2033: return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D: return "-";
    case 0x2026: return "...";
    default: return NULL;
    }
}

size_t tly_fold(const char *s, size_t n, char *out, size_t cap) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            char ch = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            if (o < cap) out[o] = ch;
            o++; i++;
            continue;
        }
        int32_t cp;
        size_t l = tly_utf8_decode(p + i, n - i, &cp);
        if (!l) { i++; continue; }
        i += l;
        const char *sp = special(cp);
        if (sp) { o = put(out, cap, o, sp, strlen(sp)); continue; }
        if (tly_cp_is_space(cp)) { o = put(out, cap, o, " ", 1); continue; }
        utf8proc_int32_t dec[8];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(
            cp, dec, 8, UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, &last);
        if (k < 0 || k > 8) continue;
        for (utf8proc_ssize_t j = 0; j < k; j++) {
            int32_t d = dec[j];
            const char *sp2 = special(d);
            if (sp2) { o = put(out, cap, o, sp2, strlen(sp2)); continue; }
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t el = utf8proc_encode_char(d, enc);
            o = put(out, cap, o, (const char *)enc, (size_t)el);
        }
    }
    return o;
}
