/* detect.c -- formats by name and content, binary magics, 8-bit charsets. */
#include "io/detect.h"
#include "io/feed.h"
#include "util/utf8.h"
#include <errno.h>
#include <iconv.h>
#include <string.h>

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int tly_strncaseeq(const char *a, size_t n, const char *lit) {
    size_t k = strlen(lit);
    if (n != k) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)lit[i])) return 0;
    return 1;
}

size_t tly_memcasemem(const char *hay, size_t n, const char *needle) {
    size_t k = strlen(needle);
    if (k == 0) return 0;
    if (k > n) return (size_t)-1;
    int f0 = lower((unsigned char)needle[0]);
    for (size_t i = 0; i + k <= n; i++) {
        if (lower((unsigned char)hay[i]) != f0) continue;
        size_t j = 1;
        while (j < k && lower((unsigned char)hay[i + j]) == lower((unsigned char)needle[j])) j++;
        if (j == k) return i;
    }
    return (size_t)-1;
}

const char *tly_base_name(const char *path) {
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int ends_with_ci(const char *s, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n >= k && tly_strncaseeq(s + n - k, k, suf);
}

size_t tly_stem_len(const char *base) {
    size_t n = strlen(base);
    if (n > 3 && ends_with_ci(base, n, ".gz")) n -= 3;
    for (size_t i = n; i > 1; i--) {
        if (base[i - 1] == '.') { n = i - 1; break; }
    }
    return n;
}

tly_format tly_format_from_name(const char *name, int *gz) {
    const char *b = tly_base_name(name);
    size_t n = strlen(b);
    *gz = 0;
    if (n > 3 && ends_with_ci(b, n, ".gz")) { *gz = 1; n -= 3; }
    size_t dot = (size_t)-1;
    for (size_t i = n; i > 1; i--)
        if (b[i - 1] == '.') { dot = i - 1; break; }
    if (dot == (size_t)-1) return TLY_FMT_UNKNOWN;
    const char *e = b + dot + 1;
    size_t el = n - dot - 1;
    if (tly_strncaseeq(e, el, "txt") || tly_strncaseeq(e, el, "text")) return TLY_FMT_TEXT;
    if (tly_strncaseeq(e, el, "html") || tly_strncaseeq(e, el, "htm") ||
        tly_strncaseeq(e, el, "xhtml")) return TLY_FMT_HTML;
    if (tly_strncaseeq(e, el, "jsonl") || tly_strncaseeq(e, el, "json") ||
        tly_strncaseeq(e, el, "ndjson")) return TLY_FMT_JSONL;
    if (tly_strncaseeq(e, el, "warc")) return TLY_FMT_WARC;
    if (tly_strncaseeq(e, el, "rss") || tly_strncaseeq(e, el, "atom")) return TLY_FMT_FEED;
    return TLY_FMT_UNKNOWN;
}

size_t tly_bom_len(const char *p, size_t n) {
    return n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int tly_is_gzip_magic(const char *p, size_t n) {
    return n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
}

const char *tly_binary_magic(const char *p, size_t n) {
    static const struct { const char *magic; size_t len; const char *name; } m[] = {
        {"\177ELF", 4, "ELF"},
        {"\x89PNG\r\n\x1a\n", 8, "PNG"},
        {"%PDF-", 5, "PDF"},
        {"PK\x03\x04", 4, "ZIP"},
        {"PK\x05\x06", 4, "ZIP"},
        {"\x1f\x8b", 2, "gzip"},
        {"\xff\xd8\xff", 3, "JPEG"},
        {"GIF87a", 6, "GIF"},
        {"GIF89a", 6, "GIF"},
        {"\3757zXZ", 5, "xz"},
        {"7z\xbc\xaf\x27\x1c", 6, "7z"},
        {"\x28\xb5\x2f\xfd", 4, "zstd"},
        {"BZh", 3, NULL}, /* checked below */
        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "OLE"},
        {"OggS", 4, "Ogg"},
        {"\xca\xfe\xba\xbe", 4, "Mach-O/Java class"},
        {"\xcf\xfa\xed\xfe", 4, "Mach-O"},
        {"SQLite format 3", 15, "SQLite"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        if (n < m[i].len || memcmp(p, m[i].magic, m[i].len) != 0) continue;
        if (!m[i].name) {
            if (n >= 10 && p[3] >= '1' && p[3] <= '9' && memcmp(p + 4, "1AY&SY", 6) == 0)
                return "bzip2";
            continue;
        }
        return m[i].name;
    }
    return NULL;
}

tly_format tly_sniff(const char *p, size_t n) {
    if (n >= 7 && memcmp(p, "WARC/1.", 7) == 0) return TLY_FMT_WARC;
    size_t i = tly_bom_len(p, n);
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i >= n) return TLY_FMT_TEXT;
    if (p[i] == '{') return TLY_FMT_JSONL;
    if (p[i] == '<' && tly_feed_sniff(p, n)) return TLY_FMT_FEED;
    if (p[i] == '<') {
        size_t m = n - i < 1024 ? n - i : 1024;
        static const char *tags[] = {"<!doctype html", "<html", "<head", "<body", "<title", "<meta"};
        for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
            if (tly_memcasemem(p + i, m, tags[t]) != (size_t)-1) return TLY_FMT_HTML;
    }
    return TLY_FMT_TEXT;
}

/* The value of the first "charset=..." in s[0..n): *v, its length, or 0. */
static size_t charset_value(const char *s, size_t n, const char **v) {
    size_t at = tly_memcasemem(s, n, "charset");
    if (at == (size_t)-1) return 0;
    size_t i = at + 7;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i >= n || s[i] != '=') return 0;
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\'')) i++;
    size_t b = i;
    while (i < n && i - b < 40 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == ':'))
        i++;
    *v = s + b;
    return i - b;
}

int tly_charset_name(const char *s, size_t n, char *name, size_t size) {
    const char *v;
    size_t vl = charset_value(s, n, &v);
    if (!vl || size == 0) return 0;
    if (vl > size - 1) vl = size - 1;
    memcpy(name, v, vl);
    name[vl] = 0;
    return 1;
}

const char *tly_utf16_bom(const char *p, size_t n) {
    if (n >= 2 && (unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) return "UTF-16LE";
    if (n >= 2 && (unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF) return "UTF-16BE";
    return NULL;
}

int tly_transcode_iconv(const char *s, size_t n, const char *name, tly_buf *out, size_t *bad) {
    *bad = (size_t)-1;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return 0;
    char *in = (char *)s;
    size_t left = n;
    int rc = 1;
    while (left) {
        if (!tly_buf_reserve(out, left * 2 + 16)) { rc = -1; break; }
        char *o = out->data + out->len;
        size_t room = out->cap - out->len;
        size_t r = iconv(cd, &in, &left, &o, &room);
        out->len = (size_t)(o - out->data);
        if (r == (size_t)-1 && errno != E2BIG) {
            *bad = (size_t)(in - s);
            rc = 0;
            break;
        }
    }
    iconv_close(cd);
    return rc;
}

int tly_walk_skips(const char *base, int is_dir) {
    size_t n = strlen(base);
    if (is_dir) /* "Page_files" (browsers' "save complete page"), "Page.files" */
        return (n > 6 && ends_with_ci(base, n, "_files")) || (n > 6 && ends_with_ci(base, n, ".files"));
    static const char *skip[] = {
        "js", "mjs", "cjs", "css", "map", "scss", "less", "ts", "wasm",
        "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif", "bmp", "tif", "tiff", "heic",
        "woff", "woff2", "ttf", "otf", "eot",
        "mp3", "mp4", "m4a", "webm", "ogg", "ogv", "wav", "avi", "mov", "mkv", "flac",
        "zip", "tar", "tgz", "bz2", "xz", "7z", "rar", "zst",
        "exe", "dll", "so", "dylib", "o", "a", "class", "jar", "pyc",
        "db", "sqlite", "db-wal", "db-shm", "swf", "iso", "dmg", "bin"};
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) return 0;
    size_t el = n - (size_t)(dot + 1 - base);
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (tly_strncaseeq(dot + 1, el, skip[i])) return 1;
    return 0;
}

tly_charset tly_charset_find(const char *s, size_t n) {
    const char *v;
    size_t vl = charset_value(s, n, &v);
    if (vl == 0) return TLY_CS_DEFAULT;
    if (tly_strncaseeq(v, vl, "utf-8") || tly_strncaseeq(v, vl, "utf8")) return TLY_CS_UTF8;
    if (tly_strncaseeq(v, vl, "iso-8859-1") || tly_strncaseeq(v, vl, "iso8859-1") ||
        tly_strncaseeq(v, vl, "latin1") || tly_strncaseeq(v, vl, "latin-1") ||
        tly_strncaseeq(v, vl, "l1") || tly_strncaseeq(v, vl, "iso_8859-1") ||
        tly_strncaseeq(v, vl, "windows-1252") || tly_strncaseeq(v, vl, "cp1252") ||
        tly_strncaseeq(v, vl, "x-cp1252"))
        return TLY_CS_CP1252; /* the WHATWG Encoding Standard maps all of these to windows-1252 */
    if (tly_strncaseeq(v, vl, "us-ascii") || tly_strncaseeq(v, vl, "ascii")) return TLY_CS_CP1252;
    return TLY_CS_OTHER;
}

/* windows-1252 0x80..0x9F; 0 = undefined (kept as the C1 control). */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

int tly_transcode_8bit(const char *s, size_t n, tly_charset cs, tly_buf *out) {
    if (!tly_buf_reserve(out, n + n / 2)) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x80) {
            if (!tly_buf_putc(out, (char)c)) return 0;
            continue;
        }
        unsigned cp = c;
        if (cs == TLY_CS_CP1252 && c >= 0x80 && c <= 0x9f && cp1252_hi[c - 0x80]) cp = cp1252_hi[c - 0x80];
        char u[4];
        if (!tly_buf_put(out, u, tly_utf8_encode(cp, u))) return 0;
    }
    return 1;
}
