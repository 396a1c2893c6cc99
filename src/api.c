/* api.c -- the public entry points: tally_extract and the result accessors,
 * status strings, dates, and the JSON Lines / TSV writers. */
#include "tally.h"
#include "extract/doc.h"
#include "text/fold.h"
#include "util/buf.h"
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

const char *tally_outcome_name(tally_outcome o) {
    static const char *n[] = {"killed", "injured", "missing", "detained", "displaced", "damaged"};
    return (unsigned)o < 6 ? n[o] : "?";
}
const char *tally_victims_name(tally_victims v) {
    static const char *n[] = {"people", "civilians", "military", "buildings"};
    return (unsigned)v < 4 ? n[v] : "?";
}
const char *tally_scope_name(tally_scope s) {
    static const char *n[] = {"incident", "aggregate", "cumulative"};
    return (unsigned)s < 3 ? n[s] : "?";
}
const char *tally_timex_type_name(tally_timex_type t) {
    static const char *n[] = {"DATE", "TIME", "DURATION", "SET"};
    return (unsigned)t < 4 ? n[t] : "?";
}
const char *tally_mention_kind_name(tally_mention_kind k) {
    static const char *n[] = {"number", "date", "place", "actor", "weapon", "outcome", "victim", "sentence"};
    return (unsigned)k < 8 ? n[k] : "?";
}

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
        d.fbits = tly_arena_calloc(d.a, n + 1, sizeof *d.fbits);
        if (!d.tx_at || !d.num_at || !d.act_at || !d.pl_at || !d.mfirst || !d.mcount || !d.mbits || !d.fbits) rc = -1;
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
                if (tly_function_cue(hits[k]->type, hits[k]->sub)) {
                    d.fbits[i] |= tly_match_bit(LX_CUE, hits[k]->sub);
                    continue;
                }
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
static void json_strz(tly_buf *b, const char *k, const char *v) {
    json_key(b, k);
    if (v) tly_buf_json_str(b, v, strlen(v)); else tly_buf_puts(b, "null");
}
static void json_count(tly_buf *b, const char *k, int64_t v) {
    json_key(b, k);
    if (v == TALLY_OPEN) tly_buf_puts(b, "null"); else tly_buf_printf(b, "%lld", (long long)v);
}
static void json_date(tly_buf *b, const char *k, tally_date d) {
    char s[16];
    json_key(b, k);
    if (d.year <= 0) tly_buf_puts(b, "null");
    else { tally_date_format(d, s, sizeof s); tly_buf_printf(b, "\"%s\"", s); }
}
static void json_span(tly_buf *b, const char *k, const char *text, size_t s, size_t e) {
    json_key(b, k);
    if (s == TALLY_NO_SPAN || e < s) tly_buf_puts(b, "null");
    else tly_buf_json_str(b, text + s, e - s);
}

static tally_status flush(tly_buf *b, tally_write_fn w, void *ctx) {
    if (b->failed) return TALLY_ERR_NOMEM;
    if (b->len && w(ctx, b->data, b->len)) return TALLY_ERR_IO;
    b->len = 0;
    return TALLY_OK;
}

static void tsv_field(tly_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        tly_buf_putc(b, (c == '\t' || c == '\n' || c == '\r') ? ' ' : c);
    }
}

tally_status tally_write_tsv_header(tally_write_fn write, void *ctx) {
    static const char h[] = "doc\tstart\tend\toutcome\tcount_low\tcount_high\tqualifier\tvictims\tscope\tplace\tcountry\tlat\tlon\t"
                            "date_start\tdate_end\tclaimant\tclaimant_alignment\tperpetrator\tweapon\tsentence\n";
    return write(ctx, h, sizeof h - 1) ? TALLY_ERR_IO : TALLY_OK;
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
            char ds[16], de[16];
            tally_date_format(c->date_start, ds, sizeof ds);
            tally_date_format(c->date_end, de, sizeof de);
            tsv_field(&b, doc->id.ptr, doc->id.len);
            tly_buf_printf(&b, "\t%zu\t%zu\t%s\t", c->start, c->end, tally_outcome_name(c->outcome));
            if (c->count_low != TALLY_OPEN) tly_buf_printf(&b, "%lld", (long long)c->count_low);
            tly_buf_putc(&b, '\t');
            if (c->count_high != TALLY_OPEN) tly_buf_printf(&b, "%lld", (long long)c->count_high);
            tly_buf_printf(&b, "\t%s\t%s\t%s\t%s\t%s\t", c->qualifier ? c->qualifier : "", tally_victims_name(c->victims),
                           tally_scope_name(c->scope), c->place ? c->place : "", c->country ? c->country : "");
            if (c->has_coords) tly_buf_printf(&b, "%.5f\t%.5f\t", c->lat, c->lon); else tly_buf_puts(&b, "\t\t");
            tly_buf_printf(&b, "%s\t%s\t", ds, de);
            tsv_field(&b, c->claimant ? c->claimant : "", c->claimant ? strlen(c->claimant) : 0);
            tly_buf_printf(&b, "\t%s\t", c->claimant_alignment ? c->claimant_alignment : "");
            tsv_field(&b, c->perpetrator ? c->perpetrator : "", c->perpetrator ? strlen(c->perpetrator) : 0);
            tly_buf_printf(&b, "\t%s\t", c->weapon ? c->weapon : "");
            tsv_field(&b, text + c->start, c->end - c->start);
            tly_buf_putc(&b, '\n');
        } else {
            tly_buf_putc(&b, '{');
            json_key(&b, "doc");
            tly_buf_json_str(&b, doc->id.ptr ? doc->id.ptr : "", doc->id.len);
            json_key(&b, "start"); tly_buf_printf(&b, "%zu", c->start);
            json_key(&b, "end"); tly_buf_printf(&b, "%zu", c->end);
            json_strz(&b, "outcome", tally_outcome_name(c->outcome));
            json_count(&b, "count_low", c->count_low);
            json_count(&b, "count_high", c->count_high);
            json_strz(&b, "qualifier", c->qualifier);
            json_strz(&b, "victims", tally_victims_name(c->victims));
            json_strz(&b, "scope", tally_scope_name(c->scope));
            json_strz(&b, "place", c->place);
            json_strz(&b, "country", c->country);
            json_key(&b, "lat");
            if (c->has_coords) tly_buf_printf(&b, "%.5f", c->lat); else tly_buf_puts(&b, "null");
            json_key(&b, "lon");
            if (c->has_coords) tly_buf_printf(&b, "%.5f", c->lon); else tly_buf_puts(&b, "null");
            json_span(&b, "place_text", text, c->place_start, c->place_end);
            json_date(&b, "date_start", c->date_start);
            json_date(&b, "date_end", c->date_end);
            json_span(&b, "date_text", text, c->date_span_start, c->date_span_end);
            json_strz(&b, "claimant", c->claimant);
            json_strz(&b, "claimant_alignment", c->claimant_alignment);
            json_span(&b, "claimant_text", text, c->claimant_start, c->claimant_end);
            json_strz(&b, "perpetrator", c->perpetrator);
            json_strz(&b, "weapon", c->weapon);
            json_strz(&b, "weapon_name", c->weapon_name);
            json_span(&b, "count_text", text, c->count_start, c->count_end);
            json_key(&b, "count_start"); tly_buf_printf(&b, "%zu", c->count_start);
            json_key(&b, "count_end"); tly_buf_printf(&b, "%zu", c->count_end);
            json_span(&b, "sentence", text, c->start, c->end);
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
