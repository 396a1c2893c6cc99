/* html.h -- the article text and metadata of an HTML page (gumbo). */
#ifndef TLY_IO_HTML_H
#define TLY_IO_HTML_H
#include "tally.h"
#include "util/arena.h"
#include "util/buf.h"
#include <stddef.h>

typedef struct tly_html_meta {
    tally_str title;      /* og:title, else <title>; in the arena */
    tally_str source;     /* og:site_name */
    tally_str url;        /* og:url, else <link rel=canonical> */
    tally_date published; /* year 0 when the page gives none */
} tly_html_meta;

/* Estimates the element nesting depth of html[0..n) in one linear pass.
 * Returns 1 when it stays within max, else 0 with *at = the offset of the
 * tag that went deeper. */
int tly_html_depth_ok(const char *html, size_t n, size_t max, size_t *at);

/* Parses html[0..n) (valid UTF-8) and appends its article text to text:
 * paragraphs separated by "\n\n", <br> by "\n", boilerplate left out.
 * Metadata strings go into the arena. Returns TALLY_OK (the text may be
 * empty), TALLY_ERR_LIMIT when the nesting is deeper than
 * TLY_HTML_MAX_DEPTH (*err_at = where), or TALLY_ERR_NOMEM. */
tally_status tly_html_extract(const char *html, size_t n, const tally_alc *alc, tly_buf *text,
                              tly_arena *arena, tly_html_meta *meta, size_t *err_at);
#endif
