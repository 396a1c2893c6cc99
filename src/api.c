/* api.c -- the public entry points: tally_extract and the result accessors,
 * status strings, dates, and the JSON Lines / TSV writers. */
#include "tally.h"
#include "extract/doc.h"
#include "text/fold.h"
#include "util/buf.h"
#include "util/claim_fields.h"
#include <stdio.h>
#include <string.h>

struct tally_result {
    tly_arena arena;          /* owns everything, including this struct's arrays */
    const tally_alc *alc;
    tally_claim *claims;
    size_t nclaims;
    tally_mention *mentions;
    size_t nmentions;
    tally_timex *timex;
    size_t ntimex;
    tally_date ref;
    const char *ref_basis;
};

const char *tally_version(void) { return TALLY_VERSION_STRING; }

const char *tally_strerror(tally_status s) {
    switch (s) {
    case TALLY_OK: return "ok";
    case TALLY_DONE: return "no more documents";
    case TALLY_ERR_NOMEM: return "out of memory";
    case TALLY_ERR_IO: return "input/output error";
    case TALLY_ERR_UTF8: return "invalid UTF-8";
    case TALLY_ERR_BINARY: return "not text (binary data)";
    case TALLY_ERR_EMPTY: return "empty document";
    case TALLY_ERR_JSON: return "bad JSON line";
    case TALLY_ERR_HTML: return "HTML without text";
    case TALLY_ERR_GZIP: return "corrupt or truncated gzip data";
    case TALLY_ERR_WARC: return "malformed or truncated WARC record";
    case TALLY_ERR_LIMIT: return "limit exceeded";
    case TALLY_ERR_DATA: return "lexicon or gazetteer data missing or malformed";
    case TALLY_ERR_USAGE: return "bad argument";
    }
    return "unknown status";
}

static const int mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

int tally_date_parse(const char *s, size_t len, tally_date *out) {
    tally_date d = {0, 0, 0};
    if (!s || len < 4) return 0;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1) return 0;
    d.year = (int16_t)y;
    if (len >= 7 && s[4] == '-') {
        if (s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9') return 0;
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12) return 0;
        d.month = (int8_t)m;
        if (len >= 10 && s[7] == '-') {
            if (s[8] < '0' || s[8] > '9' || s[9] < '0' || s[9] > '9') return 0;
            int dd = (s[8] - '0') * 10 + (s[9] - '0');
            if (dd < 1 || dd > mdays[m]) return 0;
            d.day = (int8_t)dd;
        }
    }
    *out = d;
    return 1;
}

size_t tally_date_format(tally_date d, char *buf, size_t size) {
    int n;
    if (!size) return 0;
    if (d.year <= 0) n = snprintf(buf, size, "%s", "");
    else if (!d.month) n = snprintf(buf, size, "%04d", d.year);
    else if (!d.day) n = snprintf(buf, size, "%04d-%02d", d.year, d.month);
    else n = snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
    return n < 0 ? 0 : (size_t)n;
}

/* The name functions: one table each, made from the enum's X-macro list. */
#define NAME_ENTRY(constant, name) [constant] = name,
#define NAME_FUNCTION(fn, type, LIST, COUNT)                                       \
    const char *fn(type v) {                                                       \
        static const char *const names[] = {LIST(NAME_ENTRY)};                     \
        _Static_assert(sizeof names / sizeof *names == COUNT, #LIST ": one name each"); \
        return (unsigned)v < COUNT ? names[v] : "?";                               \
    }
NAME_FUNCTION(tally_outcome_name, tally_outcome, TALLY_OUTCOMES, TALLY_OUTCOME_COUNT)
NAME_FUNCTION(tally_victims_name, tally_victims, TALLY_VICTIMS_LIST, TALLY_VICTIMS_COUNT)
NAME_FUNCTION(tally_scope_name, tally_scope, TALLY_SCOPES, TALLY_SCOPE_COUNT)
NAME_FUNCTION(tally_place_kind_name, tally_place_kind, TALLY_PLACE_KINDS, TALLY_PLACE_KIND_COUNT)
NAME_FUNCTION(tally_timex_type_name, tally_timex_type, TALLY_TIMEX_TYPES, TALLY_TIMEX_TYPE_COUNT)
NAME_FUNCTION(tally_mention_kind_name, tally_mention_kind, TALLY_MENTION_KINDS, TALLY_MENTION_KIND_COUNT)

static void set_err(tally_error *err, tally_status code, const tally_doc *doc, int has_off, uint64_t off,
                    const char *msg) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->code = code;
    err->has_offset = has_off;
    err->offset = off;
    if (doc && doc->id.ptr) {
        size_t n = doc->id.len < sizeof err->doc - 1 ? doc->id.len : sizeof err->doc - 1;
        memcpy(err->doc, doc->id.ptr, n);
        err->doc[n] = 0;
    }
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static int add_mention(tly_doc *d, tally_mention_kind kind, size_t start, size_t end, const char *value) {
    tally_mention m = {kind, start, end, value};
    return tly_vec_push(d->a, &d->mentions, m) ? 0 : -1;
}

static int collect_mentions(tly_doc *d) {
    char buf[64];
    for (size_t i = 0; i < d->tk.nsent; i++)
        if (add_mention(d, TALLY_MENTION_SENTENCE, d->tk.sent[i].start, d->tk.sent[i].end,
                        tly_arena_printf(d->a, "paragraph %u", d->tk.sent[i].para))) return -1;
    for (size_t i = 0; i < d->nnum; i++) {
        const tly_num *n = &d->num[i];
        char lo[24] = "", hi[24] = "";
        if (n->lo != TALLY_OPEN) snprintf(lo, sizeof lo, "%lld", (long long)n->lo);
        if (n->hi != TALLY_OPEN) snprintf(hi, sizeof hi, "%lld", (long long)n->hi);
        const char *v = n->lo == n->hi ? tly_arena_printf(d->a, "%s%s%s", lo, n->qual ? " " : "", n->qual ? n->qual : "")
                                       : tly_arena_printf(d->a, "%s..%s%s%s", lo, hi, n->qual ? " " : "", n->qual ? n->qual : "");
        if (n->flags & (NUM_AGE | NUM_YEAR | NUM_PERCENT | NUM_MONEY | NUM_TIME | NUM_UNIT | NUM_ORD | NUM_COUNTER))
            v = tly_arena_printf(d->a, "%s (%s)", v,
                                 n->flags & NUM_AGE ? "age" : n->flags & NUM_YEAR ? "year?" : n->flags & NUM_PERCENT ? "percent" :
                                 n->flags & NUM_MONEY ? "money" : n->flags & NUM_TIME ? "time" : n->flags & NUM_UNIT ? "unit" :
                                 n->flags & NUM_ORD ? "ordinal" : "counter");
        if (add_mention(d, TALLY_MENTION_NUMBER, d->tk.tok[n->t0].start, d->tk.tok[n->t1 - 1].end, v)) return -1;
    }
    for (size_t i = 0; i < d->ntx; i++) {
        const tly_timex *x = &d->tx[i];
        char a[16], b[16];
        tally_date_format(x->pub.first, a, sizeof a);
        tally_date_format(x->pub.last, b, sizeof b);
        if (add_mention(d, TALLY_MENTION_DATE, x->pub.start, x->pub.end,
                        tly_arena_printf(d->a, "%s %s %s..%s", tally_timex_type_name(x->pub.type), x->pub.value ? x->pub.value : "", a, b)))
            return -1;
    }
    for (size_t i = 0; i < d->npl; i++) {
        const tly_placem *p = &d->pl[i];
        if (add_mention(d, TALLY_MENTION_PLACE, d->tk.tok[p->t0].start, d->tk.tok[p->t1 - 1].end,
                        tly_arena_printf(d->a, "%s%s (%s)", p->demonym ? "demonym of " : "", p->pl->name, p->pl->country)))
            return -1;
    }
    for (size_t i = 0; i < d->nact; i++) {
        const tly_actor *a = &d->act[i];
        static const char *src[] = {"actor", "role", "person", "anaphor", "country"};
        if (add_mention(d, TALLY_MENTION_ACTOR, d->tk.tok[a->t0].start, d->tk.tok[a->t1 - 1].end,
                        tly_arena_printf(d->a, "%s [%s %s %s]%s%s", a->name, src[a->src], a->kind ? a->kind : "-",
                                         a->side ? a->side : "-", a->perp ? " perp=" : "", a->perp ? a->perp : "")))
            return -1;
    }
    for (size_t i = 0; i < d->nm; i++) {
        const tly_match *m = &d->m[i];
        int kind = m->e->type == LX_WEAPON ? TALLY_MENTION_WEAPON : m->e->type == LX_OUTCOME ? TALLY_MENTION_OUTCOME :
                   m->e->type == LX_VICTIM ? TALLY_MENTION_VICTIM : -1;
        if (kind < 0) continue;
        const char *v = m->e->type == LX_WEAPON ? tly_arena_printf(d->a, "%s%s%s", m->e->s, m->e->s2 ? " " : "", m->e->s2 ? m->e->s2 : "")
                        : m->e->type == LX_OUTCOME ? tally_outcome_name((tally_outcome)m->e->sub)
                                                   : tally_victims_name((tally_victims)m->e->sub);
        snprintf(buf, sizeof buf, "%s", v);
        if (add_mention(d, (tally_mention_kind)kind, d->tk.tok[m->t0].start, d->tk.tok[m->t1 - 1].end, v)) return -1;
    }
    /* by position */
    tally_mention *mv = d->mentions.v;
    for (size_t i = 1; i < d->mentions.n; i++) {
        tally_mention x = mv[i];
        size_t j = i;
        while (j > 0 && (mv[j - 1].start > x.start || (mv[j - 1].start == x.start && mv[j - 1].kind > x.kind))) { mv[j] = mv[j - 1]; j--; }
        mv[j] = x;
    }
    return 0;
}

#define DEFAULT_MAX_DOC ((size_t)64 << 20)
#define DEFAULT_MAX_SENT ((size_t)64 << 10)

tally_status tally_extract(const tally_lexicon *lex, const tally_doc *doc, const tally_options *opt,
                           tally_result **out, tally_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (!out || !lex || !doc) { set_err(err, TALLY_ERR_USAGE, doc, 0, 0, "NULL argument"); return TALLY_ERR_USAGE; }
    *out = NULL;
    const tally_alc *alc = opt && opt->alc ? opt->alc : tly_default_alc();
    size_t max_doc = opt && opt->max_doc_bytes ? opt->max_doc_bytes : DEFAULT_MAX_DOC;
    size_t max_sent = opt && opt->max_sentence_bytes ? opt->max_sentence_bytes : DEFAULT_MAX_SENT;
    const char *text = doc->text.ptr ? doc->text.ptr : "";
    size_t len = doc->text.ptr ? doc->text.len : 0;
    if (len > max_doc || len > 0xFFFFFFF0u) {
        char msg[128];
        snprintf(msg, sizeof msg, "document of %zu bytes exceeds the limit of %zu bytes", len, max_doc);
        set_err(err, TALLY_ERR_LIMIT, doc, 1, max_doc, msg);
        return TALLY_ERR_LIMIT;
    }
    size_t bad = tly_utf8_validate(text, len);
    if (bad < len) {
        char msg[128];
        snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", bad);
        set_err(err, TALLY_ERR_UTF8, doc, 1, bad, msg);
        return TALLY_ERR_UTF8;
    }
    if (memchr(text, 0, len)) {
        size_t at = (size_t)((const char *)memchr(text, 0, len) - text);
        char msg[128];
        snprintf(msg, sizeof msg, "NUL byte at byte %zu: not text", at);
        set_err(err, TALLY_ERR_BINARY, doc, 1, at, msg);
        return TALLY_ERR_BINARY;
    }

    tally_result *res = alc->malloc(alc->ctx, sizeof *res);
    if (!res) { set_err(err, TALLY_ERR_NOMEM, doc, 0, 0, "out of memory"); return TALLY_ERR_NOMEM; }
    memset(res, 0, sizeof *res);
    res->alc = alc;
    tly_arena_init(&res->arena, alc);

    tly_doc d;
    memset(&d, 0, sizeof d);
    d.lex = lex;
    d.in = doc;
    d.a = &res->arena;
    d.text = text;
    d.len = len;
    d.want_mentions = opt && (opt->flags & TALLY_OPT_MENTIONS);
    int rc = 0;

    /* the reference date */
    memset(&d.ref, 0, sizeof d.ref);
    if (doc->published.year > 0) { d.ref = doc->published; d.ref_basis = "published"; }
    else if (tly_timex_dateline(lex->timex, text, len, &d.ref) && d.ref.year > 0) d.ref_basis = "dateline";
    else if (opt && opt->default_published.year > 0) { d.ref = opt->default_published; d.ref_basis = "default"; }
    else if ((memset(&d.ref, 0, sizeof d.ref), 0)) {}
    else if (tly_timex_latest_full_date(lex->timex, d.a, text, len, &d.ref)) d.ref_basis = "latest";
    else d.ref_basis = "none";

    rc = tly_tokenize(d.a, text, len, max_sent, tly_lex_is_abbrev, lex, &d.tk);
    size_t n = d.tk.n;
    if (!rc) {
        d.tx_at = tly_arena_alloc(d.a, (n + 1) * sizeof *d.tx_at);
        d.num_at = tly_arena_alloc(d.a, (n + 1) * sizeof *d.num_at);
        d.act_at = tly_arena_alloc(d.a, (n + 1) * sizeof *d.act_at);
        d.pl_at = tly_arena_alloc(d.a, (n + 1) * sizeof *d.pl_at);
        d.mfirst = tly_arena_alloc(d.a, (n + 1) * sizeof *d.mfirst);
        d.mcount = tly_arena_calloc(d.a, n + 1, sizeof *d.mcount);
        d.mbits = tly_arena_calloc(d.a, n + 1, sizeof *d.mbits);
        if (!d.tx_at || !d.num_at || !d.act_at || !d.pl_at || !d.mfirst || !d.mcount || !d.mbits) rc = -1;
    }
    if (!rc) {
        for (size_t i = 0; i <= n; i++) d.tx_at[i] = d.num_at[i] = d.act_at[i] = d.pl_at[i] = -1;
        /* every lexicon match, one pass */
        TLY_VEC(tly_match) mv = {0};
        const tly_lexent *hits[32];
        for (size_t i = 0; i < n && !rc; i++) {
            d.mfirst[i] = (uint32_t)mv.n;
            size_t h = tly_lex_match(lex, d.tk.tok, n, i, hits, 32);
            for (size_t k = 0; k < h; k++) {
                tly_match m = {(uint32_t)i, (uint32_t)(i + hits[k]->ntok), hits[k]};
                if (!tly_vec_push(d.a, &mv, m)) { rc = -1; break; }
                d.mbits[i] |= tly_match_bit(hits[k]->type, -1);
                if (hits[k]->type == LX_CUE) d.mbits[i] |= tly_match_bit(LX_CUE, hits[k]->sub);
            }
            d.mcount[i] = (uint16_t)(mv.n - d.mfirst[i]);
        }
        d.mfirst[n] = (uint32_t)mv.n;
        d.m = mv.v;
        d.nm = mv.n;
    }
    /* Every claim grows from an outcome word ("killed", "injured", "fled"):
     * a document without one has none, and when nothing else was asked for
     * (mentions, temporal expressions) the rest of the analysis is skipped.
     * Most pages of a general web crawl end here. */
    int analyse = d.want_mentions || (opt && (opt->flags & TALLY_OPT_TIMEX));
    for (size_t i = 0; i < n && !analyse && !rc; i++)
        if (d.mbits[i] & tly_match_bit(LX_OUTCOME, -1)) analyse = 1;
    if (!rc && analyse) {
        rc = tly_timex_tag(lex->timex, d.a, text, len, d.ref, &d.tx, &d.ntx);
        /* tokens inside temporal expressions (both are sorted by position) */
        size_t x = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            while (x < d.ntx && d.tx[x].pub.end <= d.tk.tok[i].start) x++;
            if (x < d.ntx && d.tx[x].pub.start <= d.tk.tok[i].start && d.tk.tok[i].end <= d.tx[x].pub.end)
                d.tx_at[i] = (int32_t)x;
        }
        if (!rc) rc = tly_find_numbers(&d);
        if (!rc) rc = tly_find_mentions(&d);
        if (!rc) rc = tly_find_claims(&d);
        if (!rc) rc = tly_resolve_context(&d);
        if (!rc && d.want_mentions) rc = collect_mentions(&d);
    }
    if (rc || res->arena.failed) {
        set_err(err, TALLY_ERR_NOMEM, doc, 0, 0, "out of memory");
        tally_result_free(res);
        return TALLY_ERR_NOMEM;
    }
    res->nclaims = d.claims.n;
    res->claims = tly_arena_alloc(d.a, (d.claims.n + 1) * sizeof *res->claims);
    if (!res->claims) { tally_result_free(res); set_err(err, TALLY_ERR_NOMEM, doc, 0, 0, "out of memory"); return TALLY_ERR_NOMEM; }
    for (size_t i = 0; i < d.claims.n; i++) res->claims[i] = d.claims.v[i].c;
    res->mentions = d.mentions.v;
    res->nmentions = d.mentions.n;
    if (opt && (opt->flags & TALLY_OPT_TIMEX)) {
        /* TIMEX3 tags each date of a list or range ("April 24 and 25"):
         * its members replace the whole (claims keep the whole span) */
        size_t nt = 0;
        for (size_t i = 0; i < d.ntx; i++) nt += d.tx[i].nmemb ? d.tx[i].nmemb : 1;
        res->timex = tly_arena_alloc(d.a, (nt + 1) * sizeof *res->timex);
        if (!res->timex) { tally_result_free(res); set_err(err, TALLY_ERR_NOMEM, doc, 0, 0, "out of memory"); return TALLY_ERR_NOMEM; }
        nt = 0;
        for (size_t i = 0; i < d.ntx; i++) {
            if (d.tx[i].nmemb)
                for (size_t q = 0; q < d.tx[i].nmemb; q++) res->timex[nt++] = d.tx[i].memb[q];
            else
                res->timex[nt++] = d.tx[i].pub;
        }
        res->ntimex = nt;
    }
    res->ref = d.ref;
    res->ref_basis = d.ref_basis;
    *out = res;
    return TALLY_OK;
}

void tally_result_free(tally_result *res) {
    if (!res) return;
    const tally_alc *alc = res->alc;
    tly_arena_free(&res->arena);
    alc->free(alc->ctx, res);
}

size_t tally_result_claims(const tally_result *res, const tally_claim **out) {
    if (out) *out = res ? res->claims : NULL;
    return res ? res->nclaims : 0;
}
size_t tally_result_mentions(const tally_result *res, const tally_mention **out) {
    if (out) *out = res ? res->mentions : NULL;
    return res ? res->nmentions : 0;
}
size_t tally_result_timexes(const tally_result *res, const tally_timex **out) {
    if (out) *out = res ? res->timex : NULL;
    return res ? res->ntimex : 0;
}
tally_date tally_result_reference_date(const tally_result *res, const char **basis) {
    tally_date none = {0, 0, 0};
    if (basis) *basis = res ? res->ref_basis : "none";
    return res ? res->ref : none;
}

/* ---------------------------------------------------------------- writers */

static void json_key(tly_buf *b, const char *k) {
    if (b->len && b->data[b->len - 1] != '{') tly_buf_putc(b, ',');
    tly_buf_printf(b, "\"%s\":", k);
}
static void json_strz(tly_buf *b, const char *v) {
    if (v) tly_buf_json_str(b, v, strlen(v)); else tly_buf_puts(b, "null");
}
static void json_count(tly_buf *b, int64_t v) {
    if (v == TALLY_OPEN) tly_buf_puts(b, "null"); else tly_buf_printf(b, "%lld", (long long)v);
}
static void json_date(tly_buf *b, tally_date d) {
    char s[16];
    if (d.year <= 0) tly_buf_puts(b, "null");
    else { tally_date_format(d, s, sizeof s); tly_buf_printf(b, "\"%s\"", s); }
}
static void json_span(tly_buf *b, const char *text, size_t s, size_t e) {
    if (s == TALLY_NO_SPAN || e < s) tly_buf_puts(b, "null");
    else tly_buf_json_str(b, text + s, e - s);
}
static void json_offset(tly_buf *b, size_t v) {
    if (v == TALLY_NO_SPAN) tly_buf_puts(b, "null"); else tly_buf_printf(b, "%zu", v);
}

/* One JSON value of each kind of src/util/claim_fields.h. */
#define JSON_DOC(b, doc, text, c, m1, m2) tly_buf_json_str(b, (doc)->id.ptr ? (doc)->id.ptr : "", (doc)->id.len)
#define JSON_OFFSET(b, doc, text, c, m1, m2) tly_buf_printf(b, "%zu", (c)->m1)
#define JSON_SPAN_OFFSET(b, doc, text, c, m1, m2) json_offset(b, (c)->m1)
#define JSON_COUNT(b, doc, text, c, m1, m2) json_count(b, (c)->m1)
#define JSON_ENUM(b, doc, text, c, m1, m2) json_strz(b, m2((c)->m1))
#define JSON_STR(b, doc, text, c, m1, m2) json_strz(b, (c)->m1)
#define JSON_COORD(b, doc, text, c, m1, m2) \
    ((c)->m2 ? tly_buf_printf(b, "%.5f", (c)->m1) : tly_buf_puts(b, "null"))
#define JSON_DATE(b, doc, text, c, m1, m2) json_date(b, (c)->m1)
#define JSON_TEXT(b, doc, text, c, m1, m2) json_span(b, text, (c)->m1, (c)->m2)
#define JSON_ID(b, doc, text, c, m1, m2) \
    ((c)->m1 ? tly_buf_printf(b, "%u", (unsigned)(c)->m1) : tly_buf_puts(b, "null"))

static tally_status flush(tly_buf *b, tally_write_fn w, void *ctx) {
    if (b->failed) return TALLY_ERR_NOMEM;
    if (b->len && w(ctx, b->data, b->len)) return TALLY_ERR_IO;
    b->len = 0;
    return TALLY_OK;
}

/* A TSV cell: tabs and line breaks become spaces. */
static void tsv_field(tly_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        tly_buf_putc(b, (c == '\t' || c == '\n' || c == '\r') ? ' ' : c);
    }
}
static void tsv_strz(tly_buf *b, const char *s) {
    if (s) tsv_field(b, s, strlen(s));
}
static void tsv_date(tly_buf *b, tally_date d) {
    char s[16];
    tly_buf_put(b, s, tally_date_format(d, s, sizeof s));
}
static void tsv_span(tly_buf *b, const char *text, size_t s, size_t e) {
    if (s != TALLY_NO_SPAN && s <= e) tsv_field(b, text + s, e - s);
}

/* One TSV cell of each kind of src/util/claim_fields.h (empty for null). */
#define TSV_DOC(b, doc, text, c, m1, m2) tsv_field(b, (doc)->id.ptr, (doc)->id.len)
#define TSV_OFFSET(b, doc, text, c, m1, m2) tly_buf_printf(b, "%zu", (c)->m1)
#define TSV_SPAN_OFFSET(b, doc, text, c, m1, m2) \
    ((c)->m1 != TALLY_NO_SPAN ? tly_buf_printf(b, "%zu", (c)->m1) : 0)
#define TSV_COUNT(b, doc, text, c, m1, m2) \
    ((c)->m1 != TALLY_OPEN ? tly_buf_printf(b, "%lld", (long long)(c)->m1) : 0)
#define TSV_ENUM(b, doc, text, c, m1, m2) tsv_strz(b, m2((c)->m1))
#define TSV_STR(b, doc, text, c, m1, m2) tsv_strz(b, (c)->m1)
#define TSV_COORD(b, doc, text, c, m1, m2) ((c)->m2 ? tly_buf_printf(b, "%.5f", (c)->m1) : 0)
#define TSV_DATE(b, doc, text, c, m1, m2) tsv_date(b, (c)->m1)
#define TSV_TEXT(b, doc, text, c, m1, m2) tsv_span(b, text, (c)->m1, (c)->m2)
#define TSV_ID(b, doc, text, c, m1, m2) ((c)->m1 ? tly_buf_printf(b, "%u", (unsigned)(c)->m1) : 0)

tally_status tally_write_tsv_header(tally_write_fn write, void *ctx) {
#define TSV_NAME(name, kind, m1, m2, sql, out) (out) & TLY_CF_TSV ? "\t" name : "",
    static const char *const names[] = {TLY_CLAIM_FIELDS(TSV_NAME)};
#undef TSV_NAME
    char h[1024];
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t k = strlen(names[i]);
        memcpy(h + n, names[i], k);
        n += k;
    }
    h[n++] = '\n';
    /* the first name without its tab */
    return write(ctx, h + 1, n - 1) ? TALLY_ERR_IO : TALLY_OK;
}

tally_status tally_result_write(const tally_result *res, const tally_doc *doc, tally_format fmt,
                                tally_write_fn write, void *ctx) {
    if (!res || !doc || !write) return TALLY_ERR_USAGE;
    tly_buf b;
    tly_buf_init(&b, res->alc);
    const char *text = doc->text.ptr;
    tally_status st = TALLY_OK;
    for (size_t i = 0; i < res->nclaims && st == TALLY_OK; i++) {
        const tally_claim *c = &res->claims[i];
        if (fmt == TALLY_FORMAT_TSV) {
            int first = 1;
#define TSV_CELL(name, kind, m1, m2, sql, out)                   \
    if ((out) & TLY_CF_TSV) {                                    \
        if (!first) tly_buf_putc(&b, '\t');                      \
        first = 0;                                               \
        TSV_##kind(&b, doc, text, c, m1, m2);                    \
    }
            TLY_CLAIM_FIELDS(TSV_CELL)
#undef TSV_CELL
            tly_buf_putc(&b, '\n');
        } else {
            tly_buf_putc(&b, '{');
#define JSON_FIELD(name, kind, m1, m2, sql, out)                 \
    if ((out) & TLY_CF_JSON) {                                   \
        json_key(&b, name);                                      \
        JSON_##kind(&b, doc, text, c, m1, m2);                   \
    }
            TLY_CLAIM_FIELDS(JSON_FIELD)
#undef JSON_FIELD
            tly_buf_puts(&b, "}\n");
        }
        if (b.len > 65536) st = flush(&b, write, ctx);
    }
    if (st == TALLY_OK) st = flush(&b, write, ctx);
    tly_buf_free(&b);
    return st;
}

tally_status tally_result_write_mentions(const tally_result *res, const tally_doc *doc,
                                         tally_write_fn write, void *ctx) {
    if (!res || !doc || !write) return TALLY_ERR_USAGE;
    tly_buf b;
    tly_buf_init(&b, res->alc);
    tally_status st = TALLY_OK;
    for (size_t i = 0; i < res->nmentions && st == TALLY_OK; i++) {
        const tally_mention *m = &res->mentions[i];
        tly_buf_puts(&b, "{\"doc\":");
        tly_buf_json_str(&b, doc->id.ptr ? doc->id.ptr : "", doc->id.len);
        tly_buf_printf(&b, ",\"kind\":\"%s\",\"start\":%zu,\"end\":%zu,\"text\":", tally_mention_kind_name(m->kind), m->start, m->end);
        tly_buf_json_str(&b, doc->text.ptr + m->start, m->end - m->start);
        tly_buf_puts(&b, ",\"value\":");
        if (m->value) tly_buf_json_str(&b, m->value, strlen(m->value)); else tly_buf_puts(&b, "null");
        tly_buf_puts(&b, "}\n");
        if (b.len > 65536) st = flush(&b, write, ctx);
    }
    if (st == TALLY_OK) st = flush(&b, write, ctx);
    tly_buf_free(&b);
    return st;
}

tally_status tally_result_write_timex(const tally_result *res, const tally_doc *doc,
                                      tally_write_fn write, void *ctx) {
    if (!res || !doc || !write) return TALLY_ERR_USAGE;
    tly_buf b;
    tly_buf_init(&b, res->alc);
    tally_status st = TALLY_OK;
    for (size_t i = 0; i < res->ntimex && st == TALLY_OK; i++) {
        const tally_timex *x = &res->timex[i];
        tly_buf_puts(&b, "{\"doc\":");
        tly_buf_json_str(&b, doc->id.ptr ? doc->id.ptr : "", doc->id.len);
        tly_buf_printf(&b, ",\"start\":%zu,\"end\":%zu,\"text\":", x->start, x->end);
        tly_buf_json_str(&b, doc->text.ptr + x->start, x->end - x->start);
        tly_buf_printf(&b, ",\"type\":\"%s\",\"value\":", tally_timex_type_name(x->type));
        if (x->value) tly_buf_json_str(&b, x->value, strlen(x->value)); else tly_buf_puts(&b, "null");
        tly_buf_puts(&b, "}\n");
        if (b.len > 65536) st = flush(&b, write, ctx);
    }
    if (st == TALLY_OK) st = flush(&b, write, ctx);
    tly_buf_free(&b);
    return st;
}
