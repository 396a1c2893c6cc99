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
};

void tly_set_error(tally_error *err, tally_status code, const char *msg) {
    if (!err) return;
    err->code = code;
    err->has_offset = 0;
    err->offset = 0;
    err->doc[0] = 0;
    snprintf(err->message, sizeof err->message, "%s", msg ? msg : tally_strerror(code));
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
    l->ops = &tly_sqlite_ops;
    if (l->ops->version < TLY_STORE_OPS_VERSION) { /* a backend built for an older table */
        tly_set_error(err, TALLY_ERR_USAGE, "storage backend too old");
        free(l);
        return TALLY_ERR_USAGE;
    }
    l->readonly = opt && (opt->flags & TALLY_LEDGER_READONLY);
    tally_status st = l->ops->open(path, opt, &l->s, err);
    if (st) {
        if (err && !err->doc[0]) snprintf(err->doc, sizeof err->doc, "%s", path);
        free(l);
        return st;
    }
    *out = l;
    return TALLY_OK;
}

void tally_ledger_close(tally_ledger *l) {
    if (!l) return;
    l->ops->close(l->s);
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
    return l->ops->commit(l->s, err);
}

tally_status tally_ledger_rollback(tally_ledger *l) {
    if (!l || !l->in_batch) return TALLY_OK;
    l->in_batch = 0;
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

static const char *place_kind_name(tally_place_kind k) {
    static const char *const names[] = {[TALLY_PLACE_TOWN] = "town", [TALLY_PLACE_DISTRICT] = "district",
                                        [TALLY_PLACE_REGION] = "region", [TALLY_PLACE_COUNTRY] = "country",
                                        [TALLY_PLACE_AREA] = "area"};
    return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "area";
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

static tally_status insert_claim(tally_ledger *l, int64_t docid, const tally_doc *doc, size_t seq,
                                 const tally_claim *c, const char *reference, tally_error *err) {
    int64_t pid, cid, perp;
    tally_status st;
    if ((st = place_id(l, c, &pid, err))) return st;
    if ((st = actor_id(l, c->claimant, c->claimant_alignment, &cid, err))) return st;
    if ((st = add_alias(l, cid, doc, c->claimant_start, c->claimant_end, err))) return st;
    if ((st = actor_id(l, c->perpetrator, NULL, &perp, err))) return st;
    if (c->end > doc->text.len || c->start > c->end) {
        tly_set_error(err, TALLY_ERR_USAGE, "a claim's span is outside the document (result of another document?)");
        return TALLY_ERR_USAGE;
    }

    char ds[16] = "", de[16] = "", f1[11], l1[11], f2[11], l2[11];
    tally_date_format(c->date_start, ds, sizeof ds);
    tally_date_format(c->date_end, de, sizeof de);
    int has1 = tly_date_bounds(c->date_start, f1, l1);
    int has2 = tly_date_bounds(c->date_end, f2, l2);
    const char *first = has1 ? f1 : has2 ? f2 : NULL;
    const char *last = has2 ? l2 : has1 ? l1 : NULL;

    tly_claim_rec r = {
        .document_id = docid,
        .seq = (int64_t)seq,
        .doc = nonempty(doc->id),
        .start = (int64_t)c->start,
        .end = (int64_t)c->end,
        .sentence = span(doc, c->start, c->end),
        .outcome = tally_outcome_name(c->outcome),
        .qualifier = c->qualifier,
        .victims = tally_victims_name(c->victims),
        .scope = tally_scope_name(c->scope),
        .count_low = c->count_low,
        .count_high = c->count_high,
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
        .date_start = ds[0] ? ds : NULL,
        .date_end = de[0] ? de : NULL,
        .claimant = c->claimant,
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
        .date_start = has1 ? f1 : NULL,
        .count_low = c->count_low,
        .count_high = c->count_high,
        .claimant = c->claimant,
    };
    return tly_link_claim_add(l->ops, l->s, &lc, err);
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
    };
    int64_t docid;
    if ((st = ops->doc_insert(l->s, &d, &docid, err))) goto fail;

    const tally_claim *cl;
    size_t n = tally_result_claims(res, &cl);
    for (size_t i = 0; i < n; i++)
        if ((st = insert_claim(l, docid, doc, i, &cl[i], rl[0] ? rl : NULL, err))) goto fail;
    if ((st = ops->doc_set_claims(l->s, docid, (int64_t)n, err))) goto fail;
    if (stored) *stored = 1;
    if (nclaims) *nclaims = n;
done:
    if ((st = ops->release(l->s, err))) goto fail_outer;
    if (own && (st = ops->commit(l->s, err))) goto fail_outer;
    return TALLY_OK;
fail:
    ops->rollback_savepoint(l->s);
fail_outer:
    if (own) ops->rollback(l->s);
    else if (!ops->in_transaction(l->s)) l->in_batch = 0; /* the backend rolled the batch back (disk full) */
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
    st = tly_link_relink_all(l->ops, l->s, err);
    if (own) {
        if (!st) st = l->ops->commit(l->s, err);
        else l->ops->rollback(l->s);
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
    return l->ops->query(l->s, q, f, fn, ctx, err);
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
