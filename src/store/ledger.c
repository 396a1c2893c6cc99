/* ledger.c -- the ledger (include/tally_ledger.h) over a storage backend
 * (src/store/ops.h): open, batches, ingest, relink, queries and reports.
 * Nothing here knows SQL: what is stored and how claims link is decided
 * here and in src/link/, the backend only stores and finds. */
#include "tally_ledger.h"
#include "link/link.h"
#include "store/ops.h"
#include "store/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally_ledger {
    const tly_store_ops *ops;
    tly_store *s;
    int readonly;
    int in_batch; /* tally_ledger_begin was called */
    tly_linker *linker;
};

void tly_set_error(tally_error *err, tally_status code, const char *msg) {
    if (!err) return;
    err->code = code;
    err->has_offset = 0;
    err->offset = 0;
    err->doc[0] = 0;
    snprintf(err->message, sizeof err->message, "%s", msg ? msg : tally_strerror(code));
}

int tly_store_is_pg(const char *path) {
    return path && (!strncmp(path, "postgresql:", 11) || !strncmp(path, "postgres:", 9));
}

void tly_store_path_shown(const char *path, char *out, size_t cap) {
    /* a connection string's password (postgresql://user:secret@host/db, password=secret) is never shown */
    const char *at = tly_store_is_pg(path) ? strchr(path, '@') : NULL;
    const char *scheme = strstr(path, "://");
    const char *colon = scheme && at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    const char *kw = tly_store_is_pg(path) ? strstr(path, "password=") : NULL;
    if (colon) snprintf(out, cap, "%.*s:***%s", (int)(colon - path), path, at);
    else if (kw) snprintf(out, cap, "%.*spassword=***", (int)(kw - path), path);
    else snprintf(out, cap, "%s", path);
}

void tally_ledger_path_shown(const char *path, char *out, size_t cap) {
    if (!out || !cap) return;
    tly_store_path_shown(path && *path ? path : tally_ledger_default_path(), out, cap);
}

const char *tally_ledger_default_path(void) {
    const char *e = getenv("TALLY_DB");
    return e && *e ? e : "./tally.db";
}

tally_status tally_ledger_open(const char *path, const tally_ledger_options *opt, tally_ledger **out,
                               tally_error *err) {
    if (!out) { tly_set_error(err, TALLY_ERR_USAGE, "out is NULL"); return TALLY_ERR_USAGE; }
    *out = NULL;
    if (!path || !*path) path = tally_ledger_default_path();
    tally_ledger *l = calloc(1, sizeof *l);
    if (!l) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    /* the backend: PostgreSQL for a connection string, SQLite for a path */
    l->ops = &tly_sqlite_ops;
    if (tly_store_is_pg(path)) {
#ifdef TALLY_HAVE_LIBPQ
        l->ops = &tly_pg_ops;
#else
        tly_set_error(err, TALLY_ERR_USAGE, "this tally was built without PostgreSQL (libpq-dev): cannot open a postgresql: ledger");
        free(l);
        return TALLY_ERR_USAGE;
#endif
    }
    if (l->ops->version < TLY_STORE_OPS_MIN_VERSION) { /* a backend built for an older table */
        tly_set_error(err, TALLY_ERR_USAGE, "storage backend too old");
        free(l);
        return TALLY_ERR_USAGE;
    }
    l->readonly = opt && (opt->flags & TALLY_LEDGER_READONLY);
    if (!(l->linker = tly_linker_new())) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); free(l); return TALLY_ERR_NOMEM; }
    tally_status st = l->ops->open(path, opt, &l->s, err);
    if (st) {
        tly_linker_free(l->linker);
        if (err && !err->doc[0]) tly_store_path_shown(path, err->doc, sizeof err->doc);
        free(l);
        return st;
    }
    *out = l;
    return TALLY_OK;
}

void tally_ledger_close(tally_ledger *l) {
    if (!l) return;
    l->ops->close(l->s);
    tly_linker_free(l->linker);
    free(l);
}

static tally_status writable(tally_ledger *l, tally_error *err) {
    if (!l) { tly_set_error(err, TALLY_ERR_USAGE, "no ledger"); return TALLY_ERR_USAGE; }
    if (l->readonly) { tly_set_error(err, TALLY_ERR_USAGE, "the ledger is open read-only"); return TALLY_ERR_USAGE; }
    return TALLY_OK;
}

/* ---------------------------------------------------------------- batches */
tally_status tally_ledger_begin(tally_ledger *l, tally_error *err) {
    tally_status st = writable(l, err);
    if (st) return st;
    if (l->in_batch) { tly_set_error(err, TALLY_ERR_USAGE, "a batch is already open"); return TALLY_ERR_USAGE; }
    st = l->ops->begin(l->s, err);
    if (!st) l->in_batch = 1;
    return st;
}

tally_status tally_ledger_commit(tally_ledger *l, tally_error *err) {
    tally_status st = writable(l, err);
    if (st) return st;
    if (!l->in_batch) { tly_set_error(err, TALLY_ERR_USAGE, "no batch is open"); return TALLY_ERR_USAGE; }
    l->in_batch = 0;
    /* the bounds of the incidents the batch touched, each once */
    if ((st = tly_link_flush(l->ops, l->s, l->linker, err))) { l->ops->rollback(l->s); return st; }
    return l->ops->commit(l->s, err);
}

tally_status tally_ledger_rollback(tally_ledger *l) {
    if (!l || !l->in_batch) return TALLY_OK;
    l->in_batch = 0;
    tly_linker_forget(l->linker);
    return l->ops->rollback(l->s);
}

/* ---------------------------------------------------------------- documents */
static void content_hash(const tally_doc *doc, char hex[65]) {
    tly_sha256_hex(doc->text.ptr ? doc->text.ptr : "", doc->text.len, hex);
}

tally_status tally_ledger_contains(tally_ledger *l, const tally_doc *doc, int *found, tally_error *err) {
    if (!l || !doc || !found) { tly_set_error(err, TALLY_ERR_USAGE, "NULL argument"); return TALLY_ERR_USAGE; }
    char hash[65];
    content_hash(doc, hash);
    return l->ops->doc_find(l->s, hash, found, err);
}

/* ---------------------------------------------------------------- ingest */
static tally_str nonempty(tally_str v) { return v.ptr && v.len ? v : (tally_str){NULL, 0}; }

/* The words of the text from a to b; NULL when there are none. */
static tally_str span(const tally_doc *doc, size_t a, size_t b) {
    if (a == TALLY_NO_SPAN || b == TALLY_NO_SPAN || a > b || b > doc->text.len) return (tally_str){NULL, 0};
    return (tally_str){doc->text.ptr ? doc->text.ptr + a : NULL, b - a};
}

static int64_t off(size_t v) { return v == TALLY_NO_SPAN ? -1 : (int64_t)v; }

/* the name of the X-macro list (include/tally.h); an unknown kind is an area */
static const char *place_kind_name(tally_place_kind k) {
    return (unsigned)k < TALLY_PLACE_KIND_COUNT ? tally_place_kind_name(k) : "area";
}

static tally_status place_id(tally_ledger *l, const tally_claim *c, int64_t *out, tally_error *err) {
    *out = 0;
    if (!c->place) return TALLY_OK;
    tly_place_rec p = {
        .gazetteer_id = c->place_gazetteer_id,
        .kind = place_kind_name(c->place_kind),
        .name = c->place,
        .country = c->country,
        .admin1 = c->place_admin1,
        .has_coords = c->has_coords,
        .lat = c->lat,
        .lon = c->lon,
        /* a district or region: the hierarchy's parents */
        .admin = c->place_kind == TALLY_PLACE_DISTRICT || c->place_kind == TALLY_PLACE_REGION,
    };
    return l->ops->place_get(l->s, &p, out, err);
}

/* "party:AZ" -> role "party", side "AZ". */
static void split_alignment(const char *a, char *role, size_t rn, const char **side) {
    role[0] = 0;
    *side = NULL;
    if (!a) return;
    const char *colon = strchr(a, ':');
    size_t n = colon ? (size_t)(colon - a) : strlen(a);
    if (n >= rn) n = rn - 1;
    memcpy(role, a, n);
    role[n] = 0;
    if (colon && colon[1]) *side = colon + 1;
}

static tally_status actor_id(tally_ledger *l, const char *name, const char *alignment, int64_t *out,
                             tally_error *err) {
    *out = 0;
    if (!name) return TALLY_OK;
    char role[32];
    const char *side;
    /* "unknown" is no alignment: the actor stays unaligned until one is given */
    if (alignment && !strcmp(alignment, "unknown")) alignment = NULL;
    split_alignment(alignment, role, sizeof role, &side);
    return l->ops->actor_get(l->s, name, alignment, role[0] ? role : NULL, side, out, err);
}

static tally_status add_alias(tally_ledger *l, int64_t actor, const tally_doc *doc, size_t a, size_t b,
                              tally_error *err) {
    if (!actor || a == TALLY_NO_SPAN || b == TALLY_NO_SPAN || a >= b || b > doc->text.len) return TALLY_OK;
    return l->ops->alias_add(l->s, actor, (tally_str){doc->text.ptr + a, b - a}, err);
}

/* ---------------------------------------------------------------- review fields */
/* The fields a reviewer may correct (the claims columns of the same names). */
#define TLY_REVIEW_FIELDS(X) \
    X(OUTCOME, "outcome") X(VICTIMS, "victims") X(SCOPE, "scope") X(COUNT_LOW, "count_low") \
    X(COUNT_HIGH, "count_high") X(QUALIFIER, "qualifier") X(DATE_START, "date_start") \
    X(DATE_END, "date_end") X(CLAIMANT, "claimant")
enum {
#define X(id, name) F_##id,
    TLY_REVIEW_FIELDS(X)
#undef X
    F_N
};
static const char *const field_names[F_N] = {
#define X(id, name) name,
    TLY_REVIEW_FIELDS(X)
#undef X
};

/* The claims columns claim_apply writes: the fields and what they derive. */
int tly_store_reviewable(const char *column) {
    static const char *const derived[] = {"first_day", "last_day", "claimant_id"};
    for (int i = 0; i < F_N; i++)
        if (!strcmp(field_names[i], column)) return 1;
    for (size_t i = 0; i < sizeof derived / sizeof derived[0]; i++)
        if (!strcmp(derived[i], column)) return 1;
    return 0;
}

typedef struct fixes {
    int has[F_N], null[F_N];
    char val[F_N][160];
} fixes;

static int field_index(const char *f) {
    for (int i = 0; f && i < F_N; i++)
        if (!strcmp(field_names[i], f)) return i;
    return -1;
}

static int fixes_put(void *ctx, const char *field, const char *value) {
    fixes *f = ctx;
    int i = field_index(field);
    if (i < 0) return 0;
    f->has[i] = 1;
    f->null[i] = !value || !*value;
    snprintf(f->val[i], sizeof f->val[i], "%s", value ? value : "");
    return 0;
}

/* Is name one of the names names(0..) gives? */
static int known_name(const char *(*names)(int), const char *v) {
    for (int i = 0; i < 64; i++) {
        const char *n = names(i);
        if (n && !strcmp(n, v)) return 1;
    }
    return 0;
}
static const char *outcome_at(int i) { return tally_outcome_name((tally_outcome)i); }
static const char *victims_at(int i) { return tally_victims_name((tally_victims)i); }
static const char *scope_at(int i) { return tally_scope_name((tally_scope)i); }

/* Checks the values and normalises the dates; 0 and err when one is bad. */
static int fixes_check(fixes *f, tally_error *err) {
    char msg[240];
    for (int i = 0; i < F_N; i++) {
        if (!f->has[i] || f->null[i]) {
            if (f->has[i] && (i == F_OUTCOME || i == F_VICTIMS || i == F_SCOPE)) goto bad;
            continue;
        }
        const char *v = f->val[i];
        if ((i == F_OUTCOME && !known_name(outcome_at, v)) || (i == F_VICTIMS && !known_name(victims_at, v)) ||
            (i == F_SCOPE && !known_name(scope_at, v)))
            goto bad;
        if (i == F_COUNT_LOW || i == F_COUNT_HIGH) {
            char *end;
            long long n = strtoll(v, &end, 10);
            if (end == v || *end || n < 0) goto bad;
        }
        if (i == F_DATE_START || i == F_DATE_END) {
            tally_date d;
            char out[16];
            if (!tally_date_parse(v, strlen(v), &d) || !tally_date_format(d, out, sizeof out)) goto bad;
            snprintf(f->val[i], sizeof f->val[i], "%s", out);
        }
        continue;
    bad:
        snprintf(msg, sizeof msg, "bad value for %s: '%s'", field_names[i], f->val[i]);
        tly_set_error(err, TALLY_ERR_USAGE, msg);
        return 0;
    }
    return 1;
}

static const char *fix_text(const fixes *f, int i, const char *orig) {
    return f->has[i] ? (f->null[i] ? NULL : f->val[i]) : orig;
}
static int64_t fix_count(const fixes *f, int i, int64_t orig) {
    return f->has[i] ? (f->null[i] ? TALLY_OPEN : (int64_t)strtoll(f->val[i], NULL, 10)) : orig;
}

/* The first and last day of a claim's dates (NULL when undated). */
static void claim_days(const char *ds, const char *de, char f1[11], char l2[11], const char **first,
                       const char **last, char ds_first[11]) {
    tally_date a = {0}, b = {0};
    char l1[11], f2[11];
    int has1 = ds && tally_date_parse(ds, strlen(ds), &a) && tly_date_bounds(a, f1, l1);
    int has2 = de && tally_date_parse(de, strlen(de), &b) && tly_date_bounds(b, f2, l2);
    if (!has2 && has1) memcpy(l2, l1, 11);
    if (!has1 && has2) memcpy(f1, f2, 11);
    *first = has1 || has2 ? f1 : NULL;
    *last = has1 || has2 ? l2 : NULL;
    if (ds_first) {
        if (has1) memcpy(ds_first, f1, 11);
        else ds_first[0] = 0;
    }
}

static void hex_key(char out[33], const char *const *parts, int n) {
    tly_sha256 h;
    tly_sha256_init(&h);
    for (int i = 0; i < n; i++) {
        if (i) tly_sha256_update(&h, "\x1f", 1);
        if (parts[i]) tly_sha256_update(&h, parts[i], strlen(parts[i]));
    }
    unsigned char d[32];
    tly_sha256_final(&h, d);
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void count_str(char out[24], int64_t v) {
    if (v == TALLY_OPEN) out[0] = 0;
    else snprintf(out, 24, "%lld", (long long)v);
}

static tally_status insert_claim(tally_ledger *l, int64_t docid, const tally_doc *doc, const char *hash, size_t seq,
                                 const tally_claim *c, const char *reference, tally_error *err) {
    int64_t pid, cid, perp;
    tally_status st;
    /* a review of the same claim (same text, offsets and outcome) applies again */
    char key[160], status[16];
    snprintf(key, sizeof key, "%s:%zu:%zu:%s", hash, c->start, c->count_start, tally_outcome_name(c->outcome));
    fixes fx;
    memset(&fx, 0, sizeof fx);
    if ((st = l->ops->review_state(l->s, key, status, fixes_put, &fx, err))) return st;
    if ((st = place_id(l, c, &pid, err))) return st;
    const char *claimant = fix_text(&fx, F_CLAIMANT, c->claimant);
    if ((st = actor_id(l, claimant, fx.has[F_CLAIMANT] ? NULL : c->claimant_alignment, &cid, err))) return st;
    if ((st = add_alias(l, cid, doc, c->claimant_start, c->claimant_end, err))) return st;
    if ((st = actor_id(l, c->perpetrator, NULL, &perp, err))) return st;
    if (c->end > doc->text.len || c->start > c->end) {
        tly_set_error(err, TALLY_ERR_USAGE, "a claim's span is outside the document (result of another document?)");
        return TALLY_ERR_USAGE;
    }

    char ds[16] = "", de[16] = "", f1[11], l2[11], dsf[11];
    tally_date_format(c->date_start, ds, sizeof ds);
    tally_date_format(c->date_end, de, sizeof de);
    const char *dstart = fix_text(&fx, F_DATE_START, ds[0] ? ds : NULL);
    const char *dend = fix_text(&fx, F_DATE_END, de[0] ? de : NULL);
    const char *first, *last;
    claim_days(dstart, dend, f1, l2, &first, &last, dsf);
    const char *outcome = fix_text(&fx, F_OUTCOME, tally_outcome_name(c->outcome));
    const char *victims = fix_text(&fx, F_VICTIMS, tally_victims_name(c->victims));
    const char *scope = fix_text(&fx, F_SCOPE, tally_scope_name(c->scope));
    int64_t low = fix_count(&fx, F_COUNT_LOW, c->count_low), high = fix_count(&fx, F_COUNT_HIGH, c->count_high);
    const char *kind = c->place ? place_kind_name(c->place_kind) : NULL;

    /* the same claim in another document: the same sentence (and figure,
     * subject, place), or the same figure, claimant, subject, place and dates */
    /* the sentence stored is the claim's bounded evidence (tally_claim_evidence) */
    char sentence[TALLY_EVIDENCE_MAX_BYTES + 1];
    size_t sentence_len = tally_claim_evidence(c, doc, sentence, sizeof sentence);
    if (sentence_len >= sizeof sentence) sentence_len = sizeof sentence - 1;
    char lo_s[24], hi_s[24], skey[33], fkey[33];
    count_str(lo_s, low);
    count_str(hi_s, high);
    const char *sparts[] = {outcome, victims, lo_s, hi_s, c->place ? c->place : "", sentence};
    hex_key(skey, sparts, 6);
    const char *fparts[] = {claimant, outcome, victims, lo_s, hi_s, first, last, c->place ? c->place : ""};
    int has_fkey = claimant && first;
    if (has_fkey) hex_key(fkey, fparts, 8);

    tly_claim_rec r = {
        .document_id = docid,
        .seq = (int64_t)seq,
        .doc = nonempty(doc->id),
        .start = (int64_t)c->start,
        .end = (int64_t)c->end,
        .sentence = (tally_str){sentence, sentence_len},
        .outcome = outcome,
        .qualifier = fix_text(&fx, F_QUALIFIER, c->qualifier),
        .victims = victims,
        .scope = scope,
        .count_low = low,
        .count_high = high,
        .place = c->place,
        .country = c->country,
        .has_coords = c->has_coords,
        .lat = c->lat,
        .lon = c->lon,
        .place_text = span(doc, c->place_start, c->place_end),
        .date_text = span(doc, c->date_span_start, c->date_span_end),
        .claimant_text = span(doc, c->claimant_start, c->claimant_end),
        .count_text = c->count_start <= c->count_end && c->count_end <= doc->text.len
                          ? span(doc, c->count_start, c->count_end)
                          : (tally_str){"", 0},
        .place_start = off(c->place_start),
        .place_end = off(c->place_end),
        .date_span_start = off(c->date_span_start),
        .date_span_end = off(c->date_span_end),
        .claimant_start = off(c->claimant_start),
        .claimant_end = off(c->claimant_end),
        .date_start = dstart,
        .date_end = dend,
        .claimant = claimant,
        .claimant_alignment = c->claimant_alignment,
        .perpetrator = c->perpetrator,
        .weapon = c->weapon,
        .weapon_name = c->weapon_name,
        .count_start = (int64_t)c->count_start,
        .count_end = (int64_t)c->count_end,
        .first_day = first,
        .last_day = last,
        .place_id = pid,
        .claimant_id = cid,
        .perpetrator_id = perp,
        .place_kind = kind,
        .claim_key = key,
        .sentence_key = skey,
        .figure_key = has_fkey ? fkey : NULL,
        .review_status = status[0] ? status : NULL,
        .victims_side = c->victims_side,
        .date_basis = c->date_basis ? tally_date_basis_name(c->date_basis) : NULL,
        .place_precision = kind,
        .reported_by = c->reported_by,
        .part_of = c->part_of,
    };
    int64_t id;
    if ((st = l->ops->claim_insert(l->s, &r, &id, err))) return st;

    tly_link_claim lc = {
        .id = id,
        .document_id = docid,
        .place_id = pid,
        .claimant_id = cid,
        .scope = r.scope,
        .outcome = r.outcome,
        .victims = r.victims,
        .first_day = first,
        .last_day = last,
        .reference = reference,
        .date_start = dsf[0] ? dsf : NULL,
        .count_low = low,
        .count_high = high,
        .claimant = claimant,
        .country = c->country,
        .place_kind = kind,
        .sentence_key = skey,
        .figure_key = has_fkey ? fkey : NULL,
        .has_speaker = c->claimant_start != TALLY_NO_SPAN,
        .has_date_text = c->date_span_start != TALLY_NO_SPAN,
        .rejected = !strcmp(status, "rejected"),
    };
    return tly_link_claim_add(l->ops, l->s, l->linker, &lc, err);
}

tally_status tally_ledger_ingest_doc(tally_ledger *l, const tally_doc *doc, const tally_result *res,
                                     int *stored, size_t *nclaims, tally_error *err) {
    if (stored) *stored = 0;
    if (nclaims) *nclaims = 0;
    tally_status st = writable(l, err);
    if (st) return st;
    if (!doc || !res) { tly_set_error(err, TALLY_ERR_USAGE, "NULL document or result"); return TALLY_ERR_USAGE; }
    if (doc->text.len > (size_t)0x7fffffff) { tly_set_error(err, TALLY_ERR_LIMIT, "document too large to store"); return TALLY_ERR_LIMIT; }
    const tly_store_ops *ops = l->ops;

    char hash[65];
    content_hash(doc, hash);
    int own = !l->in_batch;
    if (own && (st = ops->begin(l->s, err))) return st;
    if ((st = ops->savepoint(l->s, err))) goto fail_outer;

    int found = 0;
    if ((st = ops->doc_find(l->s, hash, &found, err))) goto fail;
    if (found) goto done;

    char pub[16] = "", ref[16] = "", rf[11] = "", rl[11] = "";
    tally_date_format(doc->published, pub, sizeof pub);
    const char *basis = NULL;
    tally_date refd = tally_result_reference_date(res, &basis);
    tally_date_format(refd, ref, sizeof ref);
    tly_date_bounds(refd, rf, rl);

    tly_doc_rec d = {
        .doc = doc->id.len ? doc->id : (tally_str){hash, 16},
        .content_hash = hash,
        .source = nonempty(doc->source),
        .title = nonempty(doc->title),
        .url = nonempty(doc->url),
        .text = {doc->text.ptr ? doc->text.ptr : "", doc->text.len},
        .published = pub[0] ? pub : NULL,
        .reference_date = ref[0] ? ref : NULL,
        .reference_basis = basis,
        .lang = tally_result_language(res),
    };
    int64_t docid;
    if ((st = ops->doc_insert(l->s, &d, &docid, err))) goto fail;

    const tally_claim *cl;
    size_t n = tally_result_claims(res, &cl);
    for (size_t i = 0; i < n; i++)
        if ((st = insert_claim(l, docid, doc, hash, i, &cl[i], rl[0] ? rl : NULL, err))) goto fail;
    if ((st = ops->doc_set_claims(l->s, docid, (int64_t)n, err))) goto fail;
    if (stored) *stored = 1;
    if (nclaims) *nclaims = n;
done:
    if ((st = ops->release(l->s, err))) goto fail_outer;
    if (own && (st = tly_link_flush(ops, l->s, l->linker, err))) goto fail_outer;
    if (own && (st = ops->commit(l->s, err))) goto fail_outer;
    return TALLY_OK;
fail:
    ops->rollback_savepoint(l->s);
fail_outer:
    if (own) { ops->rollback(l->s); tly_linker_forget(l->linker); }
    else if (!ops->in_transaction(l->s)) { l->in_batch = 0; tly_linker_forget(l->linker); } /* the backend rolled the batch back (disk full) */
    if (stored) *stored = 0;
    if (nclaims) *nclaims = 0;
    if (err && !err->doc[0] && doc->id.len)
        snprintf(err->doc, sizeof err->doc, "%.*s", (int)(doc->id.len < 255 ? doc->id.len : 255), doc->id.ptr);
    return st;
}

/* ---------------------------------------------------------------- relink */
tally_status tally_ledger_relink(tally_ledger *l, tally_error *err) {
    if (!l || l->readonly) { tly_set_error(err, TALLY_ERR_USAGE, "the ledger is not writable"); return TALLY_ERR_USAGE; }
    int own = !l->in_batch;
    tally_status st;
    if (own && (st = l->ops->begin(l->s, err))) return st;
    st = tly_link_relink_all(l->ops, l->s, l->linker, err);
    if (own) {
        if (!st) st = l->ops->commit(l->s, err);
        else l->ops->rollback(l->s);
    }
    return st;
}

/* ---------------------------------------------------------------- review */
tally_status tally_ledger_review(tally_ledger *l, int64_t claim_id, tally_ledger_review_action action,
                                 const tally_ledger_field *set, size_t nset, const char *note, const char *by,
                                 tally_error *err) {
    tally_status st = writable(l, err);
    if (st) return st;
    if ((action == TALLY_LEDGER_CORRECT) != (nset > 0) || (nset && !set) || nset > F_N) {
        tly_set_error(err, TALLY_ERR_USAGE, action == TALLY_LEDGER_CORRECT ? "a correction sets at least one field"
                                                                           : "only a correction sets fields");
        return TALLY_ERR_USAGE;
    }
    fixes fx, cur;
    memset(&fx, 0, sizeof fx);
    memset(&cur, 0, sizeof cur);
    for (size_t i = 0; i < nset; i++) {
        if (field_index(set[i].field) < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "not a field a review corrects: '%s' (outcome, victims, scope, count_low,"
                                      " count_high, qualifier, date_start, date_end, claimant)",
                     set[i].field ? set[i].field : "");
            tly_set_error(err, TALLY_ERR_USAGE, msg);
            return TALLY_ERR_USAGE;
        }
        fixes_put(&fx, set[i].field, set[i].value);
    }
    if (!fixes_check(&fx, err)) return TALLY_ERR_USAGE;
    int own = !l->in_batch;
    if (own && (st = l->ops->begin(l->s, err))) return st;
    char key[160];
    int found = 0;
    if ((st = l->ops->claim_fields(l->s, claim_id, key, fixes_put, &cur, &found, err))) goto out;
    if (!found) { st = TALLY_ERR_USAGE; tly_set_error(err, st, "no such claim"); goto out; }

    /* the log: each field with its value before */
    const char *names[F_N], *values[F_N], *orig[F_N];
    size_t n = 0;
    for (int i = 0; i < F_N; i++)
        if (fx.has[i]) {
            names[n] = field_names[i];
            values[n] = fx.null[i] ? NULL : fx.val[i];
            orig[n++] = cur.has[i] && !cur.null[i] ? cur.val[i] : NULL;
        }
    static const char *const actions[] = {"confirm", "reject", "correct"};
    tly_review_rec r = {key, actions[action], note, by, n, names, values, orig};
    if ((st = l->ops->review_add(l->s, &r, err))) goto out;
    char status[16];
    if ((st = l->ops->review_state(l->s, key, status, NULL, NULL, err))) goto out;

    /* the claim's columns: the fields, and what they derive (days, claimant id) */
    const char *cols[F_N + 3], *vals[F_N + 3];
    char f1[11], l2[11], idbuf[24];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { cols[m] = names[i]; vals[m++] = values[i]; }
    if (fx.has[F_DATE_START] || fx.has[F_DATE_END]) {
        const char *first, *last;
        claim_days(fix_text(&fx, F_DATE_START, fix_text(&cur, F_DATE_START, NULL)),
                   fix_text(&fx, F_DATE_END, fix_text(&cur, F_DATE_END, NULL)), f1, l2, &first, &last, NULL);
        cols[m] = "first_day"; vals[m++] = first;
        cols[m] = "last_day"; vals[m++] = last;
    }
    if (fx.has[F_CLAIMANT]) {
        int64_t aid = 0;
        if ((st = actor_id(l, fix_text(&fx, F_CLAIMANT, NULL), NULL, &aid, err))) goto out;
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)aid);
        cols[m] = "claimant_id"; vals[m++] = aid ? idbuf : NULL;
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    if ((st = tly_link_claim_take(l->ops, l->s, l->linker, claim_id, &ids, &nids, err))) goto out;
    if (!(st = l->ops->claim_apply(l->s, claim_id, status, m, cols, vals, err)))
        st = tly_link_claim_put(l->ops, l->s, l->linker, ids, nids, err);
    free(ids);
out:
    if (own) {
        if (!st) st = l->ops->commit(l->s, err);
        else { l->ops->rollback(l->s); tly_linker_forget(l->linker); }
    }
    return st;
}

/* ---------------------------------------------------------------- reads */
tally_status tally_ledger_query_rows(tally_ledger *l, tally_ledger_query q, const tally_ledger_filter *f,
                                     tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if (!l || !fn) { tly_set_error(err, TALLY_ERR_USAGE, "bad query"); return TALLY_ERR_USAGE; }
    static const tally_ledger_filter none;
    if (!f) f = &none;
    if (q == TALLY_LEDGER_SEARCH && (!f->query || !*f->query)) {
        tly_set_error(err, TALLY_ERR_USAGE, "search needs a query");
        return TALLY_ERR_USAGE;
    }
    if (q >= TALLY_LEDGER_VIEW_INCIDENTS) { /* the views (issue 14): a version-3 operation */
        if (!l->ops->view) { tly_set_error(err, TALLY_ERR_USAGE, "this storage backend has no views"); return TALLY_ERR_USAGE; }
        return l->ops->view(l->s, q, f, fn, ctx, err);
    }
    return l->ops->query(l->s, q, f, fn, ctx, err);
}

tally_status tally_ledger_query_columns(tally_ledger *l, tally_ledger_query q, tally_ledger_row_fn fn, void *ctx,
                                        tally_error *err) {
    if (!l || !fn) { tly_set_error(err, TALLY_ERR_USAGE, "bad query"); return TALLY_ERR_USAGE; }
    if (l->ops->version < 3 || !l->ops->query_columns) {
        tly_set_error(err, TALLY_ERR_USAGE, "this storage backend cannot list a query's columns");
        return TALLY_ERR_USAGE;
    }
    return l->ops->query_columns(l->s, q, fn, ctx, err);
}

tally_status tally_ledger_report_rows(tally_ledger *l, tally_ledger_report r, int64_t id, const char *text,
                                      tally_ledger_row_fn fn, void *ctx, tally_error *err) {
    if (!l || !fn) { tly_set_error(err, TALLY_ERR_USAGE, "bad report"); return TALLY_ERR_USAGE; }
    return l->ops->report(l->s, r, id, text, fn, ctx, err);
}

tally_status tally_ledger_stats_get(tally_ledger *l, tally_ledger_stats *out, tally_error *err) {
    if (!l || !out) { tly_set_error(err, TALLY_ERR_USAGE, "NULL argument"); return TALLY_ERR_USAGE; }
    return l->ops->stats(l->s, out, err);
}
