/* api.c -- the public entry points: tally_extract and the result accessors,
 * status strings, dates, and the JSON Lines / TSV writers. */
#include "tally.h"
#include "extract/doc.h"
#include "extract/pipeline.h"
#include "text/fold.h"
#include "util/buf.h"
#include "util/claim_fields.h"
#include <stdio.h>
#include <string.h>

struct tally_result {
    tly_arena arena;          /* owns everything, including this struct's arrays */
    void *compact;            /* or, once compacted, one block with the claims and their strings */
    const tally_alc *alc;
    tally_claim *claims;
    size_t nclaims;
    tally_mention *mentions;
    size_t nmentions;
    tally_timex *timex;
    size_t ntimex;
    tally_date ref;
    const char *ref_basis;
    char lang[17];            /* the language pack it was read with */
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
    /* "20201028" (a compact ISO date, as some <meta> tags give it) */
    if (len >= 8 && (len == 8 || s[8] < '0' || s[8] > '9')) {
        int all = 1;
        for (int i = 4; i < 8; i++) all &= s[i] >= '0' && s[i] <= '9';
        if (all) {
            int m = (s[4] - '0') * 10 + (s[5] - '0'), dd = (s[6] - '0') * 10 + (s[7] - '0');
            if (m < 1 || m > 12 || dd < 1 || dd > mdays[m]) return 0;
            d.month = (int8_t)m;
            d.day = (int8_t)dd;
            *out = d;
            return 1;
        }
    }
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
NAME_FUNCTION(tally_date_basis_name, tally_date_basis, TALLY_DATE_BASES, TALLY_DATE_BASIS_COUNT)
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

/* ------------------------------------------------------------- evidence */

/* The "…" mark at a cut of the evidence, and its length in bytes. */
#define CUT_MARK "\xe2\x80\xa6"
#define CUT_MARK_LEN 3

static int is_space_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* A clause ends just before text[p] (p < n): ", " "; " ": ", or a dash
 * between spaces (" - ", " – ", " — "); *after gets where the next clause
 * starts (past the mark and its spaces). */
static int clause_mark(const char *text, size_t p, size_t n, size_t *after) {
    const unsigned char *t = (const unsigned char *)text;
    size_t q = p;
    if (t[q] == ',' || t[q] == ';' || t[q] == ':') q++;
    else if (q > 0 && is_space_byte(t[q - 1]) && t[q] == '-') q++;
    else if (q > 0 && is_space_byte(t[q - 1]) && q + 2 < n && t[q] == 0xE2 && t[q + 1] == 0x80 &&
             (t[q + 2] == 0x93 || t[q + 2] == 0x94))
        q += 3;
    else return 0;
    if (q >= n || !is_space_byte(t[q])) return 0;
    while (q < n && is_space_byte(t[q])) q++;
    *after = q;
    return 1;
}

/* The window of the evidence: the sentence [s, e) when it fits the bound,
 * else about the bound's bytes around the core [cs, ce) (the figure and its
 * outcome words), starting at the first clause start in the left margin
 * (else the first word start) and ending at the last clause end in the
 * right margin (else the last word end). Linear in the bound. */
static void evidence_window(const char *text, size_t s, size_t e, size_t cs, size_t ce, size_t *ws, size_t *we) {
    const unsigned char *t = (const unsigned char *)text;
    if (e - s <= TALLY_EVIDENCE_MAX_BYTES) { *ws = s; *we = e; return; }
    size_t budget = TALLY_EVIDENCE_MAX_BYTES - 2 * CUT_MARK_LEN;
    if (cs < s || cs > e) cs = s;
    if (ce < cs || ce > e) ce = cs;
    if (ce - cs > budget) { /* a core longer than the bound: its start, to a character's end */
        ce = cs + budget;
        while (ce > cs && (t[ce] & 0xC0) == 0x80) ce--;
    }
    size_t slack = budget - (ce - cs);
    size_t left = slack / 2, right = slack - left;
    if (cs - s < left) { right += left - (cs - s); left = cs - s; }
    if (e - ce < right) { left += right - (e - ce); right = e - ce; if (left > cs - s) left = cs - s; }
    size_t lo = cs - left, hi = ce + right;
    /* the left cut: the first clause start in [lo, cs], else the first word start */
    if (lo > s) {
        size_t at = (size_t)-1, q;
        for (size_t p = lo > 0 ? lo - 1 : 0; p < cs && at == (size_t)-1; p++)
            if (p >= s && clause_mark(text, p, e, &q) && q >= lo && q <= cs) at = q;
        for (size_t p = lo; p < cs && at == (size_t)-1; p++)
            if (is_space_byte(t[p - 1]) && !is_space_byte(t[p])) at = p;
        if (at == (size_t)-1) { /* one long word: a character start */
            at = lo;
            while (at < cs && (t[at] & 0xC0) == 0x80) at++;
        }
        lo = at;
    }
    /* the right cut: the last clause end in [ce, hi], else the last word end */
    if (hi < e) {
        size_t at = (size_t)-1, q;
        for (size_t p = hi; p > ce && at == (size_t)-1; p--)
            if (p < e && clause_mark(text, p, e, &q)) at = p;
        for (size_t p = hi; p > ce && at == (size_t)-1; p--)
            if (is_space_byte(t[p]) && !is_space_byte(t[p - 1])) at = p;
        if (at == (size_t)-1) {
            at = hi;
            while (at > ce && (t[at] & 0xC0) == 0x80) at--;
        }
        while (at > ce && is_space_byte(t[at - 1])) at--;
        if (at > ce && (t[at - 1] == ',' || t[at - 1] == ';' || t[at - 1] == ':')) at--; /* "…, — said" */
        hi = at;
    }
    *ws = lo;
    *we = hi;
}

size_t tally_claim_evidence(const tally_claim *c, const tally_doc *doc, char *buf, size_t size) {
    if (size) buf[0] = 0;
    if (!c || !doc || !doc->text.ptr || c->start > c->end || c->end > doc->text.len) return 0;
    size_t ws = c->evidence_start, we = c->evidence_end;
    if (!we || ws < c->start || we > c->end || ws > we || we - ws > TALLY_EVIDENCE_MAX_BYTES)
        evidence_window(doc->text.ptr, c->start, c->end, c->count_start, c->count_end, &ws, &we);
    int pre = ws > c->start, post = we < c->end;
    size_t n = (pre + post) * CUT_MARK_LEN + (we - ws), o = 0;
#define EV_PUT(p, len)                                              \
    do {                                                            \
        size_t k_ = (len) < (size ? size - 1 - o : 0) ? (len) : (size ? size - 1 - o : 0); \
        if (k_) memcpy(buf + o, (p), k_);                           \
        o += k_;                                                    \
    } while (0)
    if (pre) EV_PUT(CUT_MARK, CUT_MARK_LEN);
    EV_PUT(doc->text.ptr + ws, we - ws);
    if (post) EV_PUT(CUT_MARK, CUT_MARK_LEN);
#undef EV_PUT
    if (size) buf[o] = 0;
    return n;
}

/* The evidence window of each claim of d: around its figure and outcome words. */
static void set_evidence(tly_doc *d, tally_claim *c, const tly_claim_x *x) {
    size_t cs = c->count_start, ce = c->count_end;
    if (x->t_trig1 > x->t_trig0 && x->t_trig1 <= d->tk.n) {
        size_t ts = d->tk.tok[x->t_trig0].start, te = d->tk.tok[x->t_trig1 - 1].end;
        if (ts < cs) cs = ts;
        if (te > ce) ce = te;
    }
    if (ce - cs > TALLY_EVIDENCE_MAX_BYTES / 2) { cs = c->count_start; ce = c->count_end; }
    evidence_window(d->text, c->start, c->end, cs, ce, &c->evidence_start, &c->evidence_end);
}

/* ------------------------------------------------- claims across a cut */

/* A run longer than max_sentence_bytes is cut into pieces (src/text/token.c),
 * and a claim whose words straddle a cut ("7 civilians were | killed") is in
 * neither piece. So each forced cut gets a bridge: the text around it,
 * BRIDGE bytes on each side (to the nearest space), extracted as a document
 * of its own; the claims whose figure lies within ZONE bytes of the cut are
 * taken from the bridge, where the cut is in the middle of a piece, and the
 * rest from the document. A claim's words reach far less than ZONE, and the
 * bridge's own ends are ZONE past the zone: no claim is lost or doubled.
 * Cuts are at least max_sentence_bytes apart, so zones never meet. */
static size_t bridge_bytes(size_t max_sent) { return max_sent / 4 < 8192 ? max_sent / 4 : 8192; }

typedef struct cut_zone {
    size_t at, lo, hi;       /* the cut, and the zone [lo, hi) of figures taken from the bridge */
    tally_result *bridge;    /* its claims, offsets made the document's */
    size_t next;             /* the next bridge claim to place */
} cut_zone;

/* STR_FIELD applies STR_ACTION(member) to each STR field of a claim
 * (src/util/claim_fields.h); the user defines STR_ACTION around its use. */
#define STRK_STR(m) STR_ACTION(m)
#define STRK_NONE(m)
#define STRK_DOC STRK_NONE
#define STRK_OFFSET STRK_NONE
#define STRK_SPAN_OFFSET STRK_NONE
#define STRK_COUNT STRK_NONE
#define STRK_ENUM STRK_NONE
#define STRK_COORD STRK_NONE
#define STRK_DATE STRK_NONE
#define STRK_TEXT STRK_NONE
#define STRK_EVIDENCE STRK_NONE
#define STRK_ID STRK_NONE
#define STRK_ENUM0 STRK_NONE
#define STRK_PLACE_KIND STRK_NONE
#define STRK_INDEX STRK_NONE
#define STR_FIELD(name, kind, m1, m2, sql, out) STRK_##kind(m1)

/* Each STR field of a claim (src/util/claim_fields.h) copied into a, so the
 * claim outlives the bridge's result. */
static int claim_strings_copy(tly_arena *a, tally_claim *c) {
#define STR_ACTION(m) \
    if (c->m && !(c->m = tly_arena_strndup(a, c->m, strlen(c->m)))) return -1;
    TLY_CLAIM_FIELDS(STR_FIELD)
#undef STR_ACTION
    return 0;
}

static void shift_span(size_t *v, size_t by) {
    if (*v != TALLY_NO_SPAN) *v += by;
}

/* The cuts of d made by the sentence bound, with their bridges extracted;
 * *nzones 0 when there is none. Returns TALLY_OK or the bridge's error. */
static tally_status bridges_extract(const tly_doc *d, const tally_doc *doc, const tally_options *opt, size_t max_sent,
                                    tly_arena *a, cut_zone **zones, size_t *nzones, tally_error *err) {
    *zones = NULL;
    *nzones = 0;
    const tly_tokens *tk = &d->tk;
    size_t n = 0, cap = 0;
    size_t w = bridge_bytes(max_sent), z = w / 2;
    const unsigned char *t = (const unsigned char *)d->text;
    if (w < 64) return TALLY_OK; /* a bound of a few bytes: pieces too small to bridge */
    for (size_t si = 0; si + 1 < tk->nsent; si++) {
        const tly_sent *se = &tk->sent[si];
        const tly_tok *next = &tk->tok[se->tok_end];
        if (next->end - tk->tok[se->tok_begin].start <= max_sent) continue; /* a sentence end */
        if (n == cap && !tly_vec_grow_(a, (void **)zones, &cap, sizeof **zones, n + 1)) return TALLY_ERR_NOMEM;
        cut_zone *zn = &(*zones)[n++];
        memset(zn, 0, sizeof *zn);
        zn->at = next->start;
        zn->lo = zn->at > z ? zn->at - z : 0;
        zn->hi = zn->at + z;
        /* the bridge: [at - w, at + w), its ends moved in to spaces */
        size_t bs = zn->at > w ? zn->at - w : 0, be = zn->at + w < d->len ? zn->at + w : d->len;
        while (bs > 0 && bs < zn->lo && !(t[bs - 1] == ' ' || t[bs - 1] == '\n' || t[bs - 1] == '\t')) bs++;
        while (be < d->len && be > zn->hi && !(t[be] == ' ' || t[be] == '\n' || t[be] == '\t')) be--;
        /* no space near: at least a character boundary (the cut itself is a token's start) */
        while (bs < zn->at && (t[bs] & 0xC0) == 0x80) bs++;
        while (be > zn->at && be < d->len && (t[be] & 0xC0) == 0x80) be--;
        tally_doc bd = *doc;
        bd.text.ptr = d->text + bs;
        bd.text.len = be - bs;
        if (!bd.published.year && d->ref.year) bd.published = d->ref;
        tally_options bo;
        memset(&bo, 0, sizeof bo);
        if (opt) bo = *opt;
        bo.flags &= ~(TALLY_OPT_MENTIONS | TALLY_OPT_TIMEX);
        bo.max_sentence_bytes = max_sent;
        tally_status st = tally_extract(d->lex, &bd, &bo, &zn->bridge, err);
        *nzones = n;
        if (st) return st;
        const tally_claim *bc;
        size_t nb = tally_result_claims(zn->bridge, &bc);
        /* every offset of the claim (each OFFSET, SPAN_OFFSET and EVIDENCE
         * field of src/util/claim_fields.h) made the document's */
#define OFFK_NONE(a, b)
#define OFFK_DOC OFFK_NONE
#define OFFK_OFFSET(a, b) c->a += bs;
#define OFFK_SPAN_OFFSET(a, b) shift_span(&c->a, bs);
#define OFFK_COUNT OFFK_NONE
#define OFFK_ENUM OFFK_NONE
#define OFFK_STR OFFK_NONE
#define OFFK_COORD OFFK_NONE
#define OFFK_DATE OFFK_NONE
#define OFFK_TEXT OFFK_NONE /* its offsets are SPAN_OFFSET fields too */
#define OFFK_EVIDENCE(a, b) c->a += bs; c->b += bs;
#define OFFK_ID OFFK_NONE
#define OFFK_ENUM0 OFFK_NONE
#define OFFK_PLACE_KIND OFFK_NONE
#define OFFK_INDEX OFFK_NONE
#define SHIFT_FIELD(name, kind, m1, m2, sql, out) OFFK_##kind(m1, m2)
        for (size_t i = 0; i < nb; i++) {
            tally_claim *c = (tally_claim *)&bc[i];
            TLY_CLAIM_FIELDS(SHIFT_FIELD)
        }
#undef SHIFT_FIELD
    }
    return TALLY_OK;
}

static int in_zone(const cut_zone *zones, size_t nzones, size_t pos) {
    for (size_t i = 0; i < nzones; i++)
        if (pos >= zones[i].lo && pos < zones[i].hi) return 1;
    return 0;
}

/* res's claims with those of the zones: the document's outside the zones,
 * each bridge's inside its own, in text order. A breakdown's total (part_of)
 * is found again by its figure's offset and outcome: it may come from the
 * other side of a zone's edge. */
typedef struct total_key {
    size_t count_start; /* TALLY_NO_SPAN: no total */
    tally_outcome outcome;
} total_key;

static total_key key_of(const tally_claim *all, size_t n, const tally_claim *c) {
    total_key k = {TALLY_NO_SPAN, TALLY_KILLED};
    if (c->part_of && c->part_of <= n) {
        k.count_start = all[c->part_of - 1].count_start;
        k.outcome = all[c->part_of - 1].outcome;
    }
    return k;
}

static int bridges_merge(tally_result *res, cut_zone *zones, size_t nzones) {
    size_t total = res->nclaims;
    for (size_t i = 0; i < nzones; i++) total += tally_result_claims(zones[i].bridge, NULL);
    tally_claim *out = tly_arena_alloc(&res->arena, (total + 1) * sizeof *out);
    total_key *keys = tly_arena_alloc(&res->arena, (total + 1) * sizeof *keys);
    if (!out || !keys) return -1;
    size_t n = 0, zi = 0;
    for (size_t i = 0; i <= res->nclaims; i++) {
        const tally_claim *c = i < res->nclaims ? &res->claims[i] : NULL;
        /* a zone's claims go before the first of the document's past its start */
        for (; zi < nzones && (!c || c->count_start >= zones[zi].lo); zi++) {
            const tally_claim *bc;
            size_t nb = tally_result_claims(zones[zi].bridge, &bc);
            for (size_t q = 0; q < nb; q++) {
                if (bc[q].count_start < zones[zi].lo || bc[q].count_start >= zones[zi].hi) continue;
                out[n] = bc[q];
                if (claim_strings_copy(&res->arena, &out[n])) return -1;
                keys[n++] = key_of(bc, nb, &bc[q]);
            }
        }
        if (!c || in_zone(zones, nzones, c->count_start)) continue;
        out[n] = *c;
        keys[n++] = key_of(res->claims, res->nclaims, c);
    }
    /* a total is near its breakdown: looked for among the 64 claims each side */
    for (size_t i = 0; i < n; i++) {
        out[i].part_of = 0;
        if (keys[i].count_start == TALLY_NO_SPAN) continue;
        size_t lo = i > 64 ? i - 64 : 0, hi = i + 64 < n ? i + 64 : n - 1;
        for (size_t j = lo; j <= hi; j++)
            if (j != i && out[j].count_start == keys[i].count_start && out[j].outcome == keys[i].outcome) {
                out[i].part_of = (uint32_t)(j + 1);
                break;
            }
    }
    res->claims = out;
    res->nclaims = n;
    return 0;
}

/* A result with no mentions or TIMEX keeps only its claims: they and their
 * strings are copied into one block of their size, and the document's arena
 * (about 80 bytes a byte of text) is given back at once. A caller that holds
 * many results (tally ingest's batches) holds claims, not documents. */
static int result_compact(tally_result *res) {
    size_t need = (res->nclaims + 1) * sizeof *res->claims;
#define STR_ACTION(m) if (c->m) need += strlen(c->m) + 1;
    for (size_t i = 0; i < res->nclaims; i++) {
        const tally_claim *c = &res->claims[i];
        TLY_CLAIM_FIELDS(STR_FIELD)
    }
#undef STR_ACTION
    char *block = res->alc->malloc(res->alc->ctx, need);
    if (!block) return -1;
    tally_claim *claims = (tally_claim *)block;
    if (res->nclaims) memcpy(claims, res->claims, res->nclaims * sizeof *claims);
    char *p = block + (res->nclaims + 1) * sizeof *claims;
#define STR_ACTION(m)                           \
    if (c->m) {                                 \
        size_t l_ = strlen(c->m) + 1;           \
        memcpy(p, c->m, l_);                    \
        c->m = p;                               \
        p += l_;                                \
    }
    for (size_t i = 0; i < res->nclaims; i++) {
        tally_claim *c = &claims[i];
        TLY_CLAIM_FIELDS(STR_FIELD)
    }
#undef STR_ACTION
    tly_arena_free(&res->arena);
    res->compact = block;
    res->claims = claims;
    res->mentions = NULL;
    res->nmentions = 0;
    return 0;
}

/* Out of memory in one document: its name, how far extraction got (the
 * first layer not made, when d is given), its size, and where it starts in
 * its input. The caller goes on with the next document. */
static void set_nomem(tally_error *err, const tally_doc *doc, const tly_doc *d, size_t len) {
    char msg[200], stage[48] = "making its result";
    if (d)
        for (int i = 0; i < TLY_NLAYERS; i++)
            if (!(d->layers & (1u << i))) { snprintf(stage, sizeof stage, "at the %s stage", tly_layer_name(i)); break; }
    snprintf(msg, sizeof msg, "out of memory %s (a document of %zu bytes at byte %llu of its input)", stage, len,
             (unsigned long long)doc->input_offset);
    set_err(err, TALLY_ERR_NOMEM, doc, 1, doc->input_offset, msg);
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
    if (!res) { set_nomem(err, doc, NULL, len); return TALLY_ERR_NOMEM; }
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
    d.want_timex = opt && (opt->flags & TALLY_OPT_TIMEX);
    d.full = opt && (opt->flags & TALLY_OPT_FULL);
    d.max_sentence_bytes = max_sent;
    if (opt) d.default_published = opt->default_published;
    if (tly_pipeline_run(&d) || res->arena.failed) {
        set_nomem(err, doc, &d, len);
        tally_result_free(res);
        return TALLY_ERR_NOMEM;
    }
    /* a document the outcome gate stopped has no claim layer: no claims */
    res->nclaims = TLY_DOC_HAS(&d, TLY_L_CLAIMS) ? tly_doc_claim_count(&d) : 0;
    res->claims = tly_arena_alloc(d.a, (res->nclaims + 1) * sizeof *res->claims);
    if (!res->claims) { tally_result_free(res); set_nomem(err, doc, NULL, len); return TALLY_ERR_NOMEM; }
    for (size_t i = 0; i < res->nclaims; i++) {
        const tly_claim_x *x = tly_doc_claim_at(&d, i);
        res->claims[i] = x->c;
        set_evidence(&d, &res->claims[i], x);
    }
    if (res->nclaims || TLY_DOC_HAS(&d, TLY_L_CLAIMS)) {
        cut_zone *zones;
        size_t nzones;
        tally_status st = bridges_extract(&d, doc, opt, max_sent, &res->arena, &zones, &nzones, err);
        if (st == TALLY_OK && nzones && bridges_merge(res, zones, nzones)) st = TALLY_ERR_NOMEM;
        for (size_t i = 0; i < nzones; i++) tally_result_free(zones[i].bridge);
        if (st) {
            tally_result_free(res);
            if (st == TALLY_ERR_NOMEM) set_nomem(err, doc, NULL, len);
            return st;
        }
    }
    res->mentions = d.mentions.v;
    res->nmentions = d.mentions.n;
    if (d.want_timex) {
        /* TIMEX3 tags each date of a list or range ("April 24 and 25"):
         * its members replace the whole (claims keep the whole span) */
        size_t nt = 0;
        for (size_t i = 0; i < tly_doc_timex_count(&d); i++) {
            const tly_timex *x = tly_doc_timex_at(&d, i);
            nt += x->nmemb ? x->nmemb : 1;
        }
        res->timex = tly_arena_alloc(d.a, (nt + 1) * sizeof *res->timex);
        if (!res->timex) { tally_result_free(res); set_nomem(err, doc, NULL, len); return TALLY_ERR_NOMEM; }
        nt = 0;
        for (size_t i = 0; i < tly_doc_timex_count(&d); i++) {
            const tly_timex *x = tly_doc_timex_at(&d, i);
            if (x->nmemb)
                for (size_t q = 0; q < x->nmemb; q++) res->timex[nt++] = x->memb[q];
            else
                res->timex[nt++] = x->pub;
        }
        res->ntimex = nt;
    }
    res->ref = d.ref;
    snprintf(res->lang, sizeof res->lang, "%s", lex->lang ? lex->lang : "en");
    res->ref_basis = d.ref_basis;
    if (!d.want_mentions && !d.want_timex && result_compact(res)) {
        tally_result_free(res);
        set_nomem(err, doc, NULL, len);
        return TALLY_ERR_NOMEM;
    }
    *out = res;
    return TALLY_OK;
}

void tally_result_free(tally_result *res) {
    if (!res) return;
    const tally_alc *alc = res->alc;
    tly_arena_free(&res->arena);
    if (res->compact) alc->free(alc->ctx, res->compact);
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

const char *tally_result_language(const tally_result *res) { return res && res->lang[0] ? res->lang : "en"; }

/* ---------------------------------------------------------------- writers */

static void json_key(tly_buf *b, const char *k) {
    if (b->len && b->data[b->len - 1] != '{') tly_buf_putc(b, ',');
    tly_buf_putc(b, '"');
    tly_buf_puts(b, k);
    tly_buf_put(b, "\":", 2);
}
static void json_strz(tly_buf *b, const char *v) {
    if (v) tly_buf_json_str(b, v, strlen(v)); else tly_buf_puts(b, "null");
}
static void json_count(tly_buf *b, int64_t v) {
    if (v == TALLY_OPEN) tly_buf_puts(b, "null"); else tly_buf_i64(b, v);
}
static void json_date(tly_buf *b, tally_date d) {
    char s[16];
    if (d.year <= 0) tly_buf_puts(b, "null");
    else { tally_date_format(d, s, sizeof s); tly_buf_putc(b, '"'); tly_buf_puts(b, s); tly_buf_putc(b, '"'); }
}
static void json_span(tly_buf *b, const char *text, size_t s, size_t e) {
    if (s == TALLY_NO_SPAN || e < s) tly_buf_puts(b, "null");
    else tly_buf_json_str(b, text + s, e - s);
}
static void json_offset(tly_buf *b, size_t v) {
    if (v == TALLY_NO_SPAN) tly_buf_puts(b, "null"); else tly_buf_u64(b, v);
}

static void json_evidence(tly_buf *b, const tally_doc *doc, const tally_claim *c) {
    char ev[TALLY_EVIDENCE_MAX_BYTES + 1];
    size_t n = tally_claim_evidence(c, doc, ev, sizeof ev);
    tly_buf_json_str(b, ev, n < sizeof ev ? n : sizeof ev - 1);
}

/* One JSON value of each kind of src/util/claim_fields.h. */
#define JSON_DOC(b, doc, text, c, m1, m2) tly_buf_json_str(b, (doc)->id.ptr ? (doc)->id.ptr : "", (doc)->id.len)
#define JSON_OFFSET(b, doc, text, c, m1, m2) tly_buf_u64(b, (c)->m1)
#define JSON_SPAN_OFFSET(b, doc, text, c, m1, m2) json_offset(b, (c)->m1)
#define JSON_COUNT(b, doc, text, c, m1, m2) json_count(b, (c)->m1)
#define JSON_ENUM(b, doc, text, c, m1, m2) json_strz(b, m2((c)->m1))
#define JSON_STR(b, doc, text, c, m1, m2) json_strz(b, (c)->m1)
#define JSON_COORD(b, doc, text, c, m1, m2) \
    ((c)->m2 ? tly_buf_printf(b, "%.5f", (c)->m1) : tly_buf_puts(b, "null"))
#define JSON_DATE(b, doc, text, c, m1, m2) json_date(b, (c)->m1)
#define JSON_TEXT(b, doc, text, c, m1, m2) json_span(b, text, (c)->m1, (c)->m2)
#define JSON_EVIDENCE(b, doc, text, c, m1, m2) json_evidence(b, doc, c)
/* an enum whose first value (0) means "none": null */
#define JSON_ENUM0(b, doc, text, c, m1, m2) ((c)->m1 ? json_strz(b, m2((c)->m1)) : tly_buf_puts(b, "null"))
/* the place's kind, when there is a place (m2) */
#define JSON_PLACE_KIND(b, doc, text, c, m1, m2) \
    ((c)->m2 ? json_strz(b, tally_place_kind_name((c)->m1)) : tly_buf_puts(b, "null"))
#define JSON_INDEX(b, doc, text, c, m1, m2) \
    ((c)->m1 ? tly_buf_u64(b, (unsigned)(c)->m1 - 1) : tly_buf_puts(b, "null"))
#define JSON_ID(b, doc, text, c, m1, m2) \
    ((c)->m1 ? tly_buf_u64(b, (unsigned)(c)->m1) : tly_buf_puts(b, "null"))

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
static void tsv_evidence(tly_buf *b, const tally_doc *doc, const tally_claim *c) {
    char ev[TALLY_EVIDENCE_MAX_BYTES + 1];
    size_t n = tally_claim_evidence(c, doc, ev, sizeof ev);
    tsv_field(b, ev, n < sizeof ev ? n : sizeof ev - 1);
}

/* One TSV cell of each kind of src/util/claim_fields.h (empty for null). */
#define TSV_DOC(b, doc, text, c, m1, m2) tsv_field(b, (doc)->id.ptr, (doc)->id.len)
#define TSV_OFFSET(b, doc, text, c, m1, m2) tly_buf_u64(b, (c)->m1)
#define TSV_SPAN_OFFSET(b, doc, text, c, m1, m2) \
    ((c)->m1 != TALLY_NO_SPAN ? tly_buf_u64(b, (c)->m1) : 0)
#define TSV_COUNT(b, doc, text, c, m1, m2) \
    ((c)->m1 != TALLY_OPEN ? tly_buf_i64(b, (c)->m1) : 0)
#define TSV_ENUM(b, doc, text, c, m1, m2) tsv_strz(b, m2((c)->m1))
#define TSV_STR(b, doc, text, c, m1, m2) tsv_strz(b, (c)->m1)
#define TSV_COORD(b, doc, text, c, m1, m2) ((c)->m2 ? tly_buf_printf(b, "%.5f", (c)->m1) : 0)
#define TSV_DATE(b, doc, text, c, m1, m2) tsv_date(b, (c)->m1)
#define TSV_TEXT(b, doc, text, c, m1, m2) tsv_span(b, text, (c)->m1, (c)->m2)
#define TSV_EVIDENCE(b, doc, text, c, m1, m2) tsv_evidence(b, doc, c)
#define TSV_ID(b, doc, text, c, m1, m2) ((c)->m1 ? tly_buf_u64(b, (unsigned)(c)->m1) : 0)
#define TSV_ENUM0(b, doc, text, c, m1, m2) ((c)->m1 ? (tsv_strz(b, m2((c)->m1)), 0) : 0)
#define TSV_PLACE_KIND(b, doc, text, c, m1, m2) ((c)->m2 ? (tsv_strz(b, tally_place_kind_name((c)->m1)), 0) : 0)
#define TSV_INDEX(b, doc, text, c, m1, m2) ((c)->m1 ? tly_buf_u64(b, (unsigned)(c)->m1 - 1) : 0)

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
