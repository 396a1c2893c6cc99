/* feed.h -- RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one document per item.
 *
 * A small scanner, not an XML parser: it finds each <item> or <entry> and
 * the few children a document needs (title, link, date, id, the HTML of its
 * description or content), decodes XML entities and CDATA, and leaves the
 * HTML to the HTML reader. Linear in the feed; never reads outside [p, p+n). */
#ifndef TLY_IO_FEED_H
#define TLY_IO_FEED_H
#include "tally.h"
#include "util/buf.h"
#include <stddef.h>

/* 1 when p[0..n) (the head of a file) is an RSS, RDF or Atom feed. */
int tly_feed_sniff(const char *p, size_t n);

typedef struct tly_feed_item {
    size_t start;         /* offset of the item's start tag in the feed */
    tly_buf title, link, id, body; /* decoded text; body is HTML (or text) */
    tally_date published; /* pubDate, dc:date, published or updated; year 0: none */
    int body_is_html;
} tly_feed_item;

void tly_feed_item_init(tly_feed_item *it, const tally_alc *alc);
void tly_feed_item_free(tly_feed_item *it);

/* The feed's own title (channel/feed <title>) into out (decoded). */
int tly_feed_title(const char *p, size_t n, tly_buf *out);

/* The next item at or after *pos: fills it and advances *pos past it.
 * Returns 1 for an item, 0 at the end, -1 out of memory. */
int tly_feed_next(const char *p, size_t n, size_t *pos, tly_feed_item *it);

/* Parses an RFC 822 date ("Wed, 28 Oct 2020 10:00:00 GMT") or an ISO one. */
int tly_feed_date(const char *s, size_t n, tally_date *out);
#endif
