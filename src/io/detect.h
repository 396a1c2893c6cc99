/* detect.h -- input formats by name and by content, binary magics,
 * charsets. */
#ifndef TLY_IO_DETECT_H
#define TLY_IO_DETECT_H
#include "util/buf.h"
#include <stddef.h>

typedef enum tly_format {
    TLY_FMT_UNKNOWN = 0,
    TLY_FMT_TEXT,
    TLY_FMT_HTML,
    TLY_FMT_JSONL,
    TLY_FMT_WARC,
    TLY_FMT_FEED        /* RSS or Atom: one document per item (feed.c) */
} tly_format;

/* The format a file name's extension gives (UNKNOWN when it has none or an
 * unknown one); *gz = 1 when the name ends in .gz. */
tly_format tly_format_from_name(const char *name, int *gz);
/* The base name of a path (after the last '/'), and the length of its stem:
 * without .gz and then without one more extension. */
const char *tly_base_name(const char *path);
size_t tly_stem_len(const char *base);

/* The format content starting with p[0..n) looks like (TEXT by default). */
tly_format tly_sniff(const char *p, size_t n);
int tly_is_gzip_magic(const char *p, size_t n);
/* The name of a binary format p[0..n) starts with ("ELF", "PNG", ...), or NULL. */
const char *tly_binary_magic(const char *p, size_t n);
/* Length of a UTF-8 byte order mark at p (3) or 0. */
size_t tly_bom_len(const char *p, size_t n);

typedef enum tly_charset {
    TLY_CS_DEFAULT = 0, /* none declared: UTF-8 */
    TLY_CS_UTF8,
    TLY_CS_LATIN1,      /* ISO-8859-1, US-ASCII */
    TLY_CS_CP1252,      /* windows-1252 (what browsers use for ISO-8859-1 too) */
    TLY_CS_OTHER        /* declared but not supported */
} tly_charset;

/* The charset of a "charset=..." parameter anywhere in s[0..n) (a
 * Content-Type value, or the head of an HTML page). */
tly_charset tly_charset_find(const char *s, size_t n);
/* The name declared by a "charset=..." parameter in s[0..n), copied into
 * name (NUL-terminated, at most size - 1 bytes); 0 when none is declared. */
int tly_charset_name(const char *s, size_t n, char *name, size_t size);
/* Appends s[0..n) in the charset called name (any iconv knows: windows-1251,
 * KOI8-R, ISO-8859-5, UTF-16, ...) to out as UTF-8. Returns 1, 0 when the
 * charset is unknown (*bad = (size_t)-1) or a byte sequence is invalid in it
 * (*bad = its offset), -1 out of memory. */
int tly_transcode_iconv(const char *s, size_t n, const char *name, tly_buf *out, size_t *bad);
/* The charset a byte order mark at p gives ("UTF-16LE", "UTF-16BE"), or NULL. */
const char *tly_utf16_bom(const char *p, size_t n);
/* 1 when a directory walk should pass over the file or directory called
 * base: what a saved page keeps beside itself (page_files/), scripts, styles,
 * images, fonts, media, archives and other non-documents. A path named on
 * the command line is always read. */
int tly_walk_skips(const char *base, int is_dir);

/* Appends s[0..n) in the 8-bit charset cs to out as UTF-8. 0: out of memory. */
int tly_transcode_8bit(const char *s, size_t n, tly_charset cs, tly_buf *out);

/* ASCII case-insensitive search of needle in hay[0..n); returns the offset
 * or (size_t)-1. Linear-ish: needles are short constants. */
size_t tly_memcasemem(const char *hay, size_t n, const char *needle);
int tly_strncaseeq(const char *a, size_t n, const char *lit);
#endif
