/* html.c -- article text and metadata from HTML with gumbo.
 *
 * Every walk over the tree is iterative (an explicit stack), and the input is
 * refused before parsing when its nesting is deeper than TLY_HTML_MAX_DEPTH:
 * gumbo's own tree destruction recurses, and some of its scope checks scan
 * the whole stack of open elements, which is quadratic on deep nesting. */
#include "io/html.h"
#include "io/detect.h"
#include "io/limits.h"
#include "text/fold.h"
#include "util/data.h"
#include <gumbo.h>
#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------------ pre-scan */

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static int name_in(const char *name, const char *const *list) {
    for (; *list; list++)
        if (strcmp(name, *list) == 0) return 1;
    return 0;
}

static const char *const void_tags[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame",
    "command", "image", "isindex", NULL};
/* End tags that may be omitted (or that the parser closes by itself). */
static const char *const loose_tags[] = {"p", "li", "dt", "dd", "tr", "td", "th", "option",
    "optgroup", "thead", "tbody", "tfoot", "rb", "rt", "rtc", "rp", "colgroup", "caption",
    "html", "head", "body", "a", "nobr", NULL};
static const char *const raw_tags[] = {"script", "style", "textarea", "title", "xmp", "iframe",
    "noembed", "noframes", NULL};

int tly_html_depth_ok(const char *s, size_t n, size_t max, size_t *at) {
    size_t i = 0, depth = 0;
    long foreign = -1; /* depth at which <svg>/<math> opened */
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - s);
        if (i + 1 >= n) break;
        char c1 = s[i + 1];
        if (c1 == '!') {
            if (i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
                size_t e = tly_memcasemem(s + i + 4, n - i - 4, "-->");
                if (e == (size_t)-1) return 1; /* the rest is a comment */
                i += 4 + e + 3;
                continue;
            }
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt) return 1;
            i = (size_t)(gt - s) + 1;
            continue;
        }
        if (c1 == '?') {
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt) return 1;
            i = (size_t)(gt - s) + 1;
            continue;
        }
        int end_tag = c1 == '/';
        size_t j = i + 1 + (size_t)end_tag;
        if (j >= n || !is_alpha((unsigned char)s[j])) { i++; continue; }
        char name[16];
        size_t k = 0;
        while (j < n && s[j] != '>' && s[j] != '/' && s[j] != ' ' && s[j] != '\t' &&
               s[j] != '\n' && s[j] != '\r' && s[j] != '\f') {
            if (k < sizeof name - 1) name[k++] = (char)lc((unsigned char)s[j]);
            else k = sizeof name; /* too long for any known name */
            j++;
        }
        if (k >= sizeof name) {
            k = 1;
            name[0] = '-'; /* an unknown long name: counts as an element */
        }
        name[k] = 0;
        /* to the end of the tag, honouring quoted attribute values */
        char q = 0;
        int self_close = 0;
        while (j < n) {
            char c = s[j];
            if (q) { if (c == q) q = 0; }
            else if (c == '"' || c == '\'') q = c;
            else if (c == '>') break;
            j++;
        }
        if (j >= n) return 1; /* unterminated tag: the parser drops it */
        if (j > i && s[j - 1] == '/') self_close = 1;
        size_t tag_at = i;
        i = j + 1;
        if (end_tag) {
            if (!name_in(name, void_tags) && !name_in(name, loose_tags) && depth > 0) {
                depth--;
                if (foreign >= 0 && (long)depth <= foreign) foreign = -1;
            }
            continue;
        }
        if (name_in(name, raw_tags)) {
            /* skip the raw text up to its end tag */
            char endt[20] = "</";
            strcat(endt, name);
            size_t e = tly_memcasemem(s + i, n - i, endt);
            if (e == (size_t)-1) return 1;
            i += e;
            continue;
        }
        if (strcmp(name, "plaintext") == 0) return 1;
        if (name_in(name, void_tags) || name_in(name, loose_tags)) continue;
        if (self_close && foreign >= 0) continue; /* really self-closing in SVG/MathML */
        if (foreign < 0 && (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0) && !self_close)
            foreign = (long)depth;
        if (++depth > max) {
            *at = tag_at;
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------ helpers */

static const char *attr(const GumboNode *n, const char *name) {
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static int is_elem(const GumboNode *n) {
    return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

static const GumboVector *children(const GumboNode *n) {
    if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
    if (is_elem(n)) return &n->v.element.children;
    return NULL;
}

static int ci_eq(const char *a, const char *b) {
    if (!a) return 0;
    size_t n = strlen(a);
    return tly_strncaseeq(a, n, b);
}

static int ci_contains(const char *a, const char *b) {
    return a && tly_memcasemem(a, strlen(a), b) != (size_t)-1;
}

static int is_heading(GumboTag t) {
    return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
           t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

static int is_block(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
    case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_HTML: case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        return 1;
    default:
        return 0;
    }
}

/* Elements whose text is never article text. */
static int is_skipped_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_MENU: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_INPUT: case GUMBO_TAG_OPTION:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------ boilerplate words */

/* The phrases of data/en/boilerplate.tsv (the built-in copy), by kind: read
 * once, on first use, into static storage (NUL-terminated copies). */
enum { BP_WHOLE, BP_START, BP_CLASS_SUB, BP_CLASS_PREFIX, BP_CLASS_EXACT, BP_NKINDS };
#define BP_MAX 96
static const char *bp_list[BP_NKINDS][BP_MAX + 1];
static char bp_store[8192];
static pthread_once_t bp_once = PTHREAD_ONCE_INIT;

static void bp_load(void) {
    static const char *const kinds[BP_NKINDS] = {"whole", "start", "class_sub", "class_prefix", "class_exact"};
    size_t len = 0, o = 0, count[BP_NKINDS] = {0};
    const char *d = tly_data_get(NULL, NULL, "en/boilerplate.tsv", &len);
    for (size_t i = 0; d && i < len;) {
        size_t e = i;
        while (e < len && d[e] != '\n') e++;
        const char *tab = memchr(d + i, '\t', e - i);
        if (d[i] != '#' && tab) {
            size_t kl = (size_t)(d + e - tab - 1);
            while (kl && (tab[kl] == '\r' || tab[kl] == ' ')) kl--;
            int k = -1;
            for (int q = 0; q < BP_NKINDS; q++)
                if (strlen(kinds[q]) == kl && !memcmp(tab + 1, kinds[q], kl)) k = q;
            for (const char *p = d + i; k >= 0 && p < tab;) {
                const char *bar = memchr(p, '|', (size_t)(tab - p));
                size_t pl = (size_t)((bar ? bar : tab) - p);
                if (pl && count[k] < BP_MAX && o + pl + 1 <= sizeof bp_store) {
                    memcpy(bp_store + o, p, pl);
                    bp_store[o + pl] = 0;
                    bp_list[k][count[k]++] = bp_store + o;
                    o += pl + 1;
                }
                p += pl + 1;
            }
        }
        i = e + 1;
    }
}

static const char *const *bp_words(int kind) {
    pthread_once(&bp_once, bp_load);
    return bp_list[kind];
}

/* Does a class or id name boilerplate? Tokens split on anything that is not
 * a letter or digit. */
static int class_is_boilerplate(const char *v) {
    if (!v) return 0;
    const char *const *sub = bp_words(BP_CLASS_SUB), *const *prefix = bp_words(BP_CLASS_PREFIX),
                      *const *exact = bp_words(BP_CLASS_EXACT);
    for (size_t i = 0; sub[i]; i++)
        if (ci_contains(v, sub[i])) return 1;
    const char *p = v;
    while (*p) {
        while (*p && !(is_alpha((unsigned char)*p) || (*p >= '0' && *p <= '9'))) p++;
        const char *b = p;
        while (*p && (is_alpha((unsigned char)*p) || (*p >= '0' && *p <= '9'))) p++;
        size_t n = (size_t)(p - b);
        if (!n) continue;
        for (size_t i = 0; prefix[i]; i++) {
            size_t k = strlen(prefix[i]);
            if (n >= k && tly_strncaseeq(b, k, prefix[i])) return 1;
        }
        for (size_t i = 0; exact[i]; i++)
            if (tly_strncaseeq(b, n, exact[i])) return 1;
    }
    return 0;
}

static int is_boilerplate(const GumboNode *n, int class_filter) {
    if (n->type == GUMBO_NODE_TEMPLATE) return 1;
    if (is_skipped_tag(n->v.element.tag)) return 1;
    if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return 1;
    if (attr(n, "hidden")) return 1;
    if (ci_eq(attr(n, "aria-hidden"), "true")) return 1;
    const char *style = attr(n, "style");
    if (style && (ci_contains(style, "display:none") || ci_contains(style, "display: none") ||
                  ci_contains(style, "visibility:hidden") || ci_contains(style, "visibility: hidden")))
        return 1;
    const char *role = attr(n, "role");
    if (role && (ci_eq(role, "navigation") || ci_eq(role, "banner") || ci_eq(role, "contentinfo") ||
                 ci_eq(role, "complementary") || ci_eq(role, "search") || ci_eq(role, "dialog") ||
                 ci_eq(role, "menu") || ci_eq(role, "alert")))
        return 1;
    if (class_filter && (class_is_boilerplate(attr(n, "class")) || class_is_boilerplate(attr(n, "id"))))
        return 1;
    return 0;
}

/* Is a short paragraph or heading boilerplate ("Read more", ...)? */
static int phrase_is_boilerplate(const char *s, size_t n) {
    while (n && (unsigned char)s[0] <= ' ') s++, n--;
    while (n && (unsigned char)s[n - 1] <= ' ') n--;
    if (n == 0 || n > 200) return 0;
    /* whole text is one of these, give or take punctuation, digits, counts */
    const char *const *whole = bp_words(BP_WHOLE), *const *start = bp_words(BP_START);
    size_t m = n;
    while (m && !is_alpha((unsigned char)s[m - 1])) m--;
    for (size_t i = 0; whole[i]; i++)
        if (tly_strncaseeq(s, m, whole[i])) return 1;
    /* starts with one of these, then a non-letter */
    for (size_t i = 0; start[i]; i++) {
        size_t k = strlen(start[i]);
        if (n >= k && tly_strncaseeq(s, k, start[i]) && (n == k || !is_alpha((unsigned char)s[k])))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ text builder */

typedef struct tb {
    tly_buf *out;
    int pending; /* 0 none, 1 space, 2 newline, 3 blank line */
    int pre;
} tb;

static void tb_break(tb *b, int lvl) {
    if (lvl > b->pending) b->pending = lvl;
}

static void tb_flush(tb *b) {
    if (b->pending && b->out->len) {
        static const char *const sep[] = {"", " ", "\n", "\n\n"};
        tly_buf_puts(b->out, sep[b->pending]);
    }
    b->pending = 0;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static void tb_text(tb *b, const char *s, size_t n) {
    if (b->pre) {
        if (n) { tb_flush(b); tly_buf_put(b->out, s, n); }
        return;
    }
    size_t i = 0;
    while (i < n) {
        if (is_ws(s[i])) {
            tb_break(b, 1);
            while (i < n && is_ws(s[i])) i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_ws(s[j])) j++;
        tb_flush(b);
        tly_buf_put(b->out, s + i, j - i);
        i = j;
    }
}

/* ------------------------------------------------------------ walks */

typedef struct frame {
    const GumboNode *node;
    unsigned idx;
    size_t out_start;
    int pending_at;
    int skip_rest; /* after a boilerplate heading: skip siblings up to the next heading */
} frame;

typedef struct hctx {
    const tally_alc *alc;
    frame *st;
    size_t cap;
    int nomem;
} hctx;

static int push(hctx *h, size_t *sp, frame f) {
    if (!tly_heap_reserve(h->alc, &h->st, &h->cap, *sp + 1, 64)) { h->nomem = 1; return 0; }
    h->st[(*sp)++] = f;
    return 1;
}

/* Appends the text of root's subtree to out. */
static void extract(hctx *h, const GumboNode *root, tly_buf *out, int class_filter) {
    tb b = {out, 0, 0};
    size_t sp = 0;
    if (is_elem(root) && is_block(root->v.element.tag)) tb_break(&b, 3);
    if (!push(h, &sp, (frame){root, 0, out->len, b.pending, 0})) return;
    while (sp) {
        frame *f = &h->st[sp - 1];
        const GumboVector *ch = children(f->node);
        if (ch && f->idx < ch->length) {
            const GumboNode *c = ch->data[f->idx++];
            switch (c->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_CDATA:
                if (!f->skip_rest) tb_text(&b, c->v.text.text, strlen(c->v.text.text));
                break;
            case GUMBO_NODE_WHITESPACE:
                if (f->skip_rest) break;
                if (b.pre) tb_text(&b, c->v.text.text, strlen(c->v.text.text));
                else tb_break(&b, 1);
                break;
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE: {
                if (c->type == GUMBO_NODE_ELEMENT && f->skip_rest) {
                    if (!is_heading(c->v.element.tag)) break;
                    f->skip_rest = 0;
                }
                if (is_boilerplate(c, class_filter)) break;
                GumboTag t = c->v.element.tag;
                if (t == GUMBO_TAG_BR) {
                    tb_break(&b, b.pending >= 2 ? 3 : 2);
                    break;
                }
                if (t == GUMBO_TAG_HR) { tb_break(&b, 3); break; }
                if (is_block(t)) tb_break(&b, 3);
                else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) tb_break(&b, 1);
                if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING) b.pre++;
                if (!push(h, &sp, (frame){c, 0, out->len, b.pending, 0})) return;
                break;
            }
            default:
                break;
            }
            continue;
        }
        /* leave f->node */
        const GumboNode *n = f->node;
        if (is_elem(n) && n != root) {
            GumboTag t = n->v.element.tag;
            if (is_block(t) || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
                if (t != GUMBO_TAG_TABLE && t != GUMBO_TAG_TBODY && t != GUMBO_TAG_UL &&
                    t != GUMBO_TAG_OL && out->len > f->out_start &&
                    out->len - f->out_start <= 220 &&
                    phrase_is_boilerplate(out->data + f->out_start, out->len - f->out_start)) {
                    out->len = f->out_start;
                    if (out->data) out->data[out->len] = 0;
                    b.pending = f->pending_at;
                    if (is_heading(t) && sp >= 2) h->st[sp - 2].skip_rest = 1;
                }
            }
            if (is_block(t)) tb_break(&b, 3);
            else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) tb_break(&b, 1);
            if ((t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING) && b.pre) b.pre--;
        }
        sp--;
    }
    if (out->failed) h->nomem = 1;
}

/* The first <time datetime> in root's subtree. */
static const char *first_time(hctx *h, const GumboNode *root) {
    size_t sp = 0;
    if (!push(h, &sp, (frame){root, 0, 0, 0, 0})) return NULL;
    while (sp) {
        frame *f = &h->st[sp - 1];
        const GumboVector *ch = children(f->node);
        if (ch && f->idx < ch->length) {
            const GumboNode *c = ch->data[f->idx++];
            if (c->type != GUMBO_NODE_ELEMENT) continue;
            if (c->v.element.tag == GUMBO_TAG_TIME) {
                const char *dt = attr(c, "datetime");
                if (dt && *dt) return dt;
            }
            if (!push(h, &sp, (frame){c, 0, 0, 0, 0})) return NULL;
            continue;
        }
        sp--;
    }
    return NULL;
}

static int inside(const GumboNode *n, const GumboNode *const *list, size_t k) {
    for (const GumboNode *p = n->parent; p; p = p->parent)
        for (size_t i = 0; i < k; i++)
            if (list[i] == p) return 1;
    return 0;
}

#define MAX_CANDIDATES 32

typedef struct scan {
    const GumboNode *body, *main;
    const GumboNode *art[MAX_CANDIDATES], *abody[MAX_CANDIDATES];
    size_t nart, nabody;
    const char *og_title, *title_text, *site, *og_url, *canonical;
    const char *date[4]; /* by priority: article:published_time, meta names, itemprop, JSON-LD */
    const char *ld_date;
    size_t ld_len;
} scan;

static void scan_meta(scan *sc, const GumboNode *m) {
    const char *content = attr(m, "content");
    if (!content || !*content) return;
    const char *prop = attr(m, "property");
    const char *name = attr(m, "name");
    const char *ip = attr(m, "itemprop");
    const char *key = prop ? prop : name;
    if (key) {
        if (ci_eq(key, "og:title")) { if (!sc->og_title) sc->og_title = content; }
        else if (ci_eq(key, "og:site_name")) { if (!sc->site) sc->site = content; }
        else if (ci_eq(key, "og:url")) { if (!sc->og_url) sc->og_url = content; }
        else if (ci_eq(key, "article:published_time") || ci_eq(key, "og:article:published_time") ||
                 ci_eq(key, "og:published_time")) {
            if (!sc->date[0]) sc->date[0] = content;
        } else if (ci_eq(key, "date") || ci_eq(key, "pubdate") || ci_eq(key, "publishdate") ||
                   ci_eq(key, "publish-date") || ci_eq(key, "publish_date") || ci_eq(key, "dc.date") ||
                   ci_eq(key, "dc.date.issued") || ci_eq(key, "dcterms.date") ||
                   ci_eq(key, "dcterms.issued") || ci_eq(key, "sailthru.date") ||
                   ci_eq(key, "parsely-pub-date") || ci_eq(key, "article.published") ||
                   ci_eq(key, "original-publish-date")) {
            if (!sc->date[1]) sc->date[1] = content;
        }
    }
    if (ip && ci_eq(ip, "datePublished") && !sc->date[2]) sc->date[2] = content;
}

/* "datePublished": "..." in JSON-LD text. */
static void scan_ld(scan *sc, const char *s) {
    if (sc->ld_date) return;
    size_t n = strlen(s);
    size_t at = tly_memcasemem(s, n, "\"datePublished\"");
    if (at == (size_t)-1) return;
    size_t i = at + 15;
    while (i < n && is_ws(s[i])) i++;
    if (i >= n || s[i] != ':') return;
    i++;
    while (i < n && is_ws(s[i])) i++;
    if (i >= n || s[i] != '"') return;
    i++;
    size_t b = i;
    while (i < n && s[i] != '"' && i - b < 64) i++;
    if (i >= n || s[i] != '"') return;
    sc->ld_date = s + b;
    sc->ld_len = i - b;
}

static const char *text_child(const GumboNode *n) {
    const GumboVector *ch = children(n);
    for (unsigned i = 0; ch && i < ch->length; i++) {
        const GumboNode *c = ch->data[i];
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_CDATA)
            return c->v.text.text;
    }
    return NULL;
}

static void scan_tree(hctx *h, const GumboNode *doc, scan *sc) {
    size_t sp = 0;
    if (!push(h, &sp, (frame){doc, 0, 0, 0, 0})) return;
    while (sp) {
        frame *f = &h->st[sp - 1];
        const GumboVector *ch = children(f->node);
        if (!(ch && f->idx < ch->length)) { sp--; continue; }
        const GumboNode *c = ch->data[f->idx++];
        if (c->type != GUMBO_NODE_ELEMENT) continue;
        const GumboElement *e = &c->v.element;
        int in_skip = f->skip_rest; /* here: inside nav/aside/... */
        switch (e->tag) {
        case GUMBO_TAG_BODY: if (!sc->body) sc->body = c; break;
        case GUMBO_TAG_MAIN: if (!sc->main && !in_skip) sc->main = c; break;
        case GUMBO_TAG_TITLE:
            if (!sc->title_text && e->tag_namespace == GUMBO_NAMESPACE_HTML) sc->title_text = text_child(c);
            break;
        case GUMBO_TAG_META: scan_meta(sc, c); break;
        case GUMBO_TAG_LINK:
            if (!sc->canonical && ci_eq(attr(c, "rel"), "canonical")) sc->canonical = attr(c, "href");
            break;
        case GUMBO_TAG_SCRIPT:
            if (ci_contains(attr(c, "type"), "ld+json")) {
                const char *t = text_child(c);
                if (t) scan_ld(sc, t);
            }
            continue; /* nothing else inside */
        case GUMBO_TAG_ARTICLE:
            if (!in_skip && sc->nart < MAX_CANDIDATES && !inside(c, sc->art, sc->nart))
                sc->art[sc->nart++] = c;
            break;
        default: break;
        }
        const char *ip = attr(c, "itemprop");
        if (ip && !in_skip) {
            if (ci_contains(ip, "articleBody") && sc->nabody < MAX_CANDIDATES &&
                !inside(c, sc->abody, sc->nabody))
                sc->abody[sc->nabody++] = c;
            if (ci_contains(ip, "datePublished") && !sc->date[2]) {
                const char *v = attr(c, "content");
                if (!v) v = attr(c, "datetime");
                if (v && *v) sc->date[2] = v;
            }
        }
        if (!sc->main && !in_skip && ci_eq(attr(c, "role"), "main")) sc->main = c;
        int skip = in_skip || e->tag == GUMBO_TAG_NAV || e->tag == GUMBO_TAG_ASIDE ||
                   e->tag == GUMBO_TAG_FOOTER || e->tag == GUMBO_TAG_HEADER;
        if (!push(h, &sp, (frame){c, 0, 0, 0, skip})) return;
    }
}

static tally_str arena_collapsed(tly_arena *a, const char *s, size_t n) {
    tally_str r = {"", 0};
    if (!s) return r;
    char *o = tly_arena_alloc(a, n + 1);
    if (!o) return r;
    r.len = tly_collapse_space(s, n, o);
    r.ptr = o;
    return r;
}

static void *g_alloc(void *ud, size_t size) {
    const tally_alc *alc = ud;
    return alc->malloc(alc->ctx, size);
}
static void g_free(void *ud, void *p) {
    const tally_alc *alc = ud;
    if (p) alc->free(alc->ctx, p);
}

tally_status tly_html_extract(const char *html, size_t n, const tally_alc *alc, tly_buf *text,
                              tly_arena *arena, tly_html_meta *meta, size_t *err_at) {
    memset(meta, 0, sizeof *meta);
    meta->title.ptr = meta->source.ptr = meta->url.ptr = "";
    if (!alc) alc = tly_default_alc();
    if (!tly_html_depth_ok(html, n, TLY_HTML_MAX_DEPTH, err_at)) return TALLY_ERR_LIMIT;

    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = g_alloc;
    opt.deallocator = g_free;
    opt.userdata = (void *)(uintptr_t)alc;
    opt.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&opt, html, n);
    if (!g) return TALLY_ERR_NOMEM;

    hctx h = {alc, NULL, 0, 0};
    scan sc;
    memset(&sc, 0, sizeof sc);
    scan_tree(&h, g->document, &sc);

    /* The article: [itemprop=articleBody], else the <article> with the most
     * text, else <main>, else <body>. */
    size_t base = text->len;
    const GumboNode *best = NULL;
    size_t best_len = 0;
    const GumboNode *const *cands[2] = {sc.abody, sc.art};
    size_t ncand[2] = {sc.nabody, sc.nart};
    for (int k = 0; k < 2 && !best; k++) {
        for (size_t i = 0; i < ncand[k]; i++) {
            extract(&h, cands[k][i], text, 1);
            size_t len = text->len - base;
            text->len = base;
            if (len > best_len) { best_len = len; best = cands[k][i]; }
        }
    }
    if (!best && sc.main) {
        extract(&h, sc.main, text, 1);
        if (text->len > base) best = sc.main;
        text->len = base;
    }
    if (!best) best = sc.body ? sc.body : g->root;
    extract(&h, best, text, 1);
    if (text->len == base && !h.nomem) {
        /* the class filter took everything: try without it */
        best = sc.body ? sc.body : g->root;
        extract(&h, best, text, 0);
    }
    /* drop trailing whitespace */
    while (text->len > base && is_ws(text->data[text->len - 1])) text->len--;
    if (text->data) text->data[text->len] = 0;

    const char *og = sc.og_title && *sc.og_title ? sc.og_title : NULL;
    const char *tt = og ? og : sc.title_text;
    if (tt) meta->title = arena_collapsed(arena, tt, strlen(tt));
    if (sc.site) meta->source = arena_collapsed(arena, sc.site, strlen(sc.site));
    const char *u = sc.og_url && *sc.og_url ? sc.og_url : sc.canonical;
    if (u) meta->url = arena_collapsed(arena, u, strlen(u));

    const char *tm = first_time(&h, best);
    const char *ds[6] = {sc.date[0], sc.date[1], sc.date[2], NULL, tm, NULL};
    size_t dl[6] = {0};
    for (int i = 0; i < 6; i++) dl[i] = ds[i] ? strlen(ds[i]) : 0;
    ds[3] = sc.ld_date;
    dl[3] = sc.ld_len;
    /* the first date of the highest priority, but a day beats a bare month
     * or year whatever its rank ("2020" in one tag, "2020-10-28" in another) */
    memset(&meta->published, 0, sizeof meta->published);
    for (int i = 0; i < 5; i++) {
        if (!ds[i]) continue;
        const char *s = ds[i];
        size_t l = dl[i];
        while (l && is_ws(*s)) s++, l--;
        tally_date d;
        if (!tally_date_parse(s, l, &d)) continue;
        int better = meta->published.year == 0 || (d.day && !meta->published.day) ||
                     (d.month && !meta->published.month);
        if (better) meta->published = d;
        if (meta->published.day) break;
    }

    if (h.st) alc->free(alc->ctx, h.st);
    gumbo_destroy_output(&opt, g);
    if (h.nomem || text->failed) return TALLY_ERR_NOMEM;
    return TALLY_OK;
}
