/* feed.c -- RSS and Atom items as documents (see feed.h). */
#include "io/feed.h"
#include "io/detect.h"
#include "util/utf8.h"
#include <string.h>

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int tly_feed_sniff(const char *p, size_t n) {
    size_t m = n < 2048 ? n : 2048;
    size_t i = tly_bom_len(p, m);
    while (i < m && is_space(p[i])) i++;
    if (i >= m || p[i] != '<') return 0;
    return tly_memcasemem(p + i, m - i, "<rss") != (size_t)-1 ||
           tly_memcasemem(p + i, m - i, "<rdf:rdf") != (size_t)-1 ||
           (tly_memcasemem(p + i, m - i, "<feed") != (size_t)-1 &&
            tly_memcasemem(p + i, m - i, "http://www.w3.org/2005/atom") != (size_t)-1);
}

void tly_feed_item_init(tly_feed_item *it, const tally_alc *alc) {
    memset(it, 0, sizeof *it);
    tly_buf_init(&it->title, alc);
    tly_buf_init(&it->link, alc);
    tly_buf_init(&it->id, alc);
    tly_buf_init(&it->body, alc);
}

void tly_feed_item_free(tly_feed_item *it) {
    tly_buf_free(&it->title);
    tly_buf_free(&it->link);
    tly_buf_free(&it->id);
    tly_buf_free(&it->body);
}

/* ---------------------------------------------------------------- tags */

/* A tag at p[i] ('<'): its local name (after any "prefix:") and where the tag
 * ends. kind: 1 start, 2 end, 3 empty (<x/>), 0 other (<?, <!, comments). */
typedef struct tag {
    size_t at, end;             /* [at, end) is the whole tag */
    const char *name; size_t nlen; /* the qualified name ("content:encoded") */
    const char *attrs; size_t alen;
    int kind;
} tag;

static size_t find(const char *p, size_t n, size_t from, const char *lit) {
    size_t k = strlen(lit);
    for (size_t i = from; i + k <= n; i++) {
        const char *q = memchr(p + i, lit[0], n - i - k + 1);
        if (!q) return (size_t)-1;
        i = (size_t)(q - p);
        if (memcmp(q, lit, k) == 0) return i;
    }
    return (size_t)-1;
}

/* Reads the tag at i; 0 when none (truncated). Comments, CDATA sections and
 * processing instructions are skipped whole (kind 0). */
static int read_tag(const char *p, size_t n, size_t i, tag *t) {
    memset(t, 0, sizeof *t);
    t->at = i;
    if (i + 1 >= n) return 0;
    if (p[i + 1] == '!' || p[i + 1] == '?') {
        const char *close = n - i >= 4 && memcmp(p + i, "<!--", 4) == 0 ? "-->"
                            : n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0 ? "]]>"
                            : ">";
        size_t e = find(p, n, i + 2, close);
        if (e == (size_t)-1) return 0;
        t->end = e + strlen(close);
        return 1;
    }
    size_t j = i + 1;
    if (p[j] == '/') { t->kind = 2; j++; } else t->kind = 1;
    size_t b = j;
    while (j < n && !is_space(p[j]) && p[j] != '>' && p[j] != '/') j++;
    t->name = p + b; t->nlen = j - b;
    size_t ab = j;
    char q = 0;
    while (j < n && (q || p[j] != '>')) {
        if (q) { if (p[j] == q) q = 0; }
        else if (p[j] == '"' || p[j] == '\'') q = p[j];
        j++;
    }
    if (j >= n) return 0;
    t->attrs = p + ab; t->alen = j - ab;
    if (t->kind == 1 && j > ab && p[j - 1] == '/') { t->kind = 3; t->alen--; }
    t->end = j + 1;
    return 1;
}

/* the local name (after "prefix:") equals lit, ASCII case-insensitive */
static int local_is(const tag *t, const char *lit) {
    const char *c = memchr(t->name, ':', t->nlen);
    const char *s = c ? c + 1 : t->name;
    size_t k = t->nlen - (size_t)(s - t->name);
    return tly_strncaseeq(s, k, lit);
}
static int qname_is(const tag *t, const char *lit) { return tly_strncaseeq(t->name, t->nlen, lit); }

/* The value of attribute a (case-insensitive) in the tag, or NULL. */
static const char *attr(const tag *t, const char *a, size_t *len) {
    size_t k = strlen(a);
    for (size_t i = 0; i + k < t->alen; i++) {
        if ((i == 0 || is_space(t->attrs[i - 1])) && tly_strncaseeq(t->attrs + i, k, a)) {
            size_t j = i + k;
            while (j < t->alen && is_space(t->attrs[j])) j++;
            if (j >= t->alen || t->attrs[j] != '=') continue;
            j++;
            while (j < t->alen && is_space(t->attrs[j])) j++;
            if (j >= t->alen) return NULL;
            char q = t->attrs[j];
            if (q != '"' && q != '\'') return NULL;
            const char *e = memchr(t->attrs + j + 1, q, t->alen - j - 1);
            if (!e) return NULL;
            *len = (size_t)(e - (t->attrs + j + 1));
            return t->attrs + j + 1;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- text */

static int put_utf8(tly_buf *b, unsigned long cp) {
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    return tly_buf_put(b, u, tly_utf8_encode((uint32_t)cp, u));
}

/* Appends XML character data p[0..n) decoded: the five entities, numeric
 * references and CDATA sections; markup inside (Atom xhtml, stray tags) is
 * kept as it is, for the HTML reader. */
static int put_xml_text(tly_buf *b, const char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (p[i] == '<' && n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0) {
            size_t e = find(p, n, i + 9, "]]>");
            size_t stop = e == (size_t)-1 ? n : e;
            if (!tly_buf_put(b, p + i + 9, stop - i - 9)) return 0;
            i = e == (size_t)-1 ? n : e + 3;
            continue;
        }
        if (p[i] == '&') {
            const char *semi = memchr(p + i, ';', n - i < 12 ? n - i : 12);
            if (semi) {
                const char *e = p + i + 1;
                size_t el = (size_t)(semi - e);
                static const struct { const char *n; char c; } ents[] = {
                    {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
                int done = 0;
                for (size_t k = 0; k < 5 && !done; k++)
                    if (el == strlen(ents[k].n) && memcmp(e, ents[k].n, el) == 0) {
                        if (!tly_buf_putc(b, ents[k].c)) return 0;
                        done = 1;
                    }
                if (!done && el >= 2 && e[0] == '#') {
                    unsigned long cp = 0;
                    int hex = e[1] == 'x' || e[1] == 'X', ok = 1;
                    for (size_t k = hex ? 2 : 1; k < el && ok; k++) {
                        char c = e[k];
                        int d = c >= '0' && c <= '9' ? c - '0'
                                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                        if (d < 0 || cp > 0x10FFFF) ok = 0;
                        else cp = cp * (hex ? 16 : 10) + (unsigned long)d;
                    }
                    if (ok && el > (size_t)(hex ? 2 : 1)) {
                        if (!put_utf8(b, cp)) return 0;
                        done = 1;
                    }
                }
                if (done) { i = (size_t)(semi - p) + 1; continue; }
            }
        }
        if (!tly_buf_putc(b, p[i])) return 0;
        i++;
    }
    return 1;
}

/* The end of the element whose start tag ends at from: the matching end
 * tag of the same qualified name (nesting counted), or n. *inner_end gets
 * where its content stops. */
static size_t element_end(const char *p, size_t n, size_t from, const tag *st, size_t *inner_end) {
    int depth = 1;
    size_t i = from;
    while (i < n) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - p);
        tag t;
        if (!read_tag(p, n, i, &t)) break;
        if (t.nlen == st->nlen && memcmp(t.name, st->name, t.nlen) == 0) {
            if (t.kind == 1) depth++;
            else if (t.kind == 2 && --depth == 0) { *inner_end = i; return t.end; }
        }
        i = t.end;
    }
    *inner_end = n;
    return n;
}

static void trim(tly_buf *b) {
    size_t s = 0, e = b->len;
    while (s < e && is_space(b->data[s])) s++;
    while (e > s && is_space(b->data[e - 1])) e--;
    if (s) memmove(b->data, b->data + s, e - s);
    b->len = e - s;
}

/* ---------------------------------------------------------------- dates */

static int digits(const char *s, size_t n, size_t *i, int max, int *out) {
    int v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') { v = v * 10 + (s[*i] - '0'); (*i)++; k++; }
    *out = v;
    return k;
}

int tly_feed_date(const char *s, size_t n, tally_date *out) {
    while (n && is_space(*s)) { s++; n--; }
    if (tally_date_parse(s, n, out) && out->year > 0) return 1;
    /* RFC 822: [Day, ] DD Mon YYYY ... */
    static const char *mon[12] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    size_t i = 0;
    const char *comma = memchr(s, ',', n < 12 ? n : 12);
    if (comma) i = (size_t)(comma - s) + 1;
    while (i < n && is_space(s[i])) i++;
    int d, y;
    if (!digits(s, n, &i, 2, &d)) return 0;
    while (i < n && is_space(s[i])) i++;
    if (i + 3 > n) return 0;
    int m = -1;
    for (int k = 0; k < 12; k++) if (tly_strncaseeq(s + i, 3, mon[k])) m = k;
    if (m < 0) return 0;
    i += 3;
    while (i < n && !is_space(s[i])) i++; /* "October" */
    while (i < n && is_space(s[i])) i++;
    int yk = digits(s, n, &i, 4, &y);
    if (yk == 2) y += y < 50 ? 2000 : 1900;
    else if (yk != 4) return 0;
    char iso[11];
    iso[0] = (char)('0' + y / 1000); iso[1] = (char)('0' + y / 100 % 10);
    iso[2] = (char)('0' + y / 10 % 10); iso[3] = (char)('0' + y % 10); iso[4] = '-';
    iso[5] = (char)('0' + (m + 1) / 10); iso[6] = (char)('0' + (m + 1) % 10); iso[7] = '-';
    iso[8] = (char)('0' + d / 10); iso[9] = (char)('0' + d % 10); iso[10] = 0;
    return tally_date_parse(iso, 10, out);
}

/* The date an element's character data gives into *out (left as it is when
 * it gives none). 0: out of memory. */
static int element_date(const tally_alc *alc, const char *v, size_t vl, tally_date *out) {
    tly_buf tmp;
    tly_buf_init(&tmp, alc);
    int ok = put_xml_text(&tmp, v, vl);
    tally_date d;
    if (ok && tmp.len && tly_feed_date(tmp.data, tmp.len, &d)) *out = d;
    tly_buf_free(&tmp);
    return ok;
}

/* ---------------------------------------------------------------- items */

int tly_feed_title(const char *p, size_t n, tly_buf *out) {
    out->len = 0;
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt) return 1;
        i = (size_t)(lt - p);
        tag t;
        if (!read_tag(p, n, i, &t)) return 1;
        if (t.kind == 1 && (local_is(&t, "item") || local_is(&t, "entry"))) return 1;
        if (t.kind == 1 && local_is(&t, "title")) {
            size_t ie;
            element_end(p, n, t.end, &t, &ie);
            if (!put_xml_text(out, p + t.end, ie - t.end)) return 0;
            trim(out);
            return 1;
        }
        i = t.end;
    }
    return 1;
}

int tly_feed_next(const char *p, size_t n, size_t *pos, tly_feed_item *it) {
    size_t i = *pos;
    tag t;
    for (;;) { /* the next <item> or <entry> */
        const char *lt = i < n ? memchr(p + i, '<', n - i) : NULL;
        if (!lt) { *pos = n; return 0; }
        i = (size_t)(lt - p);
        if (!read_tag(p, n, i, &t)) { *pos = n; return 0; }
        if (t.kind == 1 && (local_is(&t, "item") || local_is(&t, "entry"))) break;
        i = t.end;
    }
    size_t inner_end;
    size_t end = element_end(p, n, t.end, &t, &inner_end);
    it->start = t.at;
    it->title.len = it->link.len = it->id.len = it->body.len = 0;
    memset(&it->published, 0, sizeof it->published);
    it->body_is_html = 1;
    int body_rank = 0; /* content:encoded / content 3, description 2, summary 1 */
    tally_date updated = {0, 0, 0};
    size_t j = t.end;
    while (j < inner_end) {
        const char *lt = memchr(p + j, '<', inner_end - j);
        if (!lt) break;
        j = (size_t)(lt - p);
        tag c;
        if (!read_tag(p, inner_end, j, &c)) break;
        if (c.kind != 1 && c.kind != 3) { j = c.end; continue; }
        size_t ie = c.end, ce = c.end;
        if (c.kind == 1) ce = element_end(p, inner_end, c.end, &c, &ie);
        const char *v = p + c.end;
        size_t vl = ie > c.end ? ie - c.end : 0;
        tly_buf *dst = NULL;
        int rank = 0;
        if (local_is(&c, "title")) dst = &it->title;
        else if (local_is(&c, "link")) {
            size_t hl;
            const char *href = attr(&c, "href", &hl);
            size_t rl;
            const char *rel = attr(&c, "rel", &rl);
            if (href && (!rel || tly_strncaseeq(rel, rl, "alternate")) && it->link.len == 0) {
                if (!put_xml_text(&it->link, href, hl)) return -1;
            } else if (!href && it->link.len == 0) dst = &it->link;
        } else if (local_is(&c, "guid") || (local_is(&c, "id") && !qname_is(&c, "dc:identifier"))) dst = &it->id;
        else if (qname_is(&c, "content:encoded") || local_is(&c, "content")) rank = 3;
        else if (local_is(&c, "description")) rank = 2;
        else if (local_is(&c, "summary")) rank = 1;
        else if (local_is(&c, "pubdate") || local_is(&c, "published") || qname_is(&c, "dc:date") ||
                 local_is(&c, "issued")) {
            if (it->published.year == 0 && !element_date(it->title.alc, v, vl, &it->published)) return -1;
        } else if (local_is(&c, "updated") || local_is(&c, "modified")) {
            if (!element_date(it->title.alc, v, vl, &updated)) return -1;
        }
        if (dst && dst->len == 0) {
            if (!put_xml_text(dst, v, vl)) return -1;
            trim(dst);
        }
        if (rank > body_rank) {
            size_t tl;
            const char *type = attr(&c, "type", &tl);
            it->body.len = 0;
            if (!put_xml_text(&it->body, v, vl)) return -1;
            it->body_is_html = !(type && tly_strncaseeq(type, tl, "text"));
            body_rank = rank;
        }
        j = ce;
    }
    if (it->published.year == 0) it->published = updated;
    *pos = end;
    return 1;
}
