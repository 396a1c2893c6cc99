/* link.c -- claims into incidents and series, incrementally.
 *
 * The rules (docs/schema.md, "Linking"):
 *  - Incidents: a claim of scope incident or aggregate with a place joins
 *    the incidents of the same kind (scope) whose place is its place, its
 *    district or one of its towns, and whose window overlaps the claim's:
 *    a dated claim's window is its days; an undated claim's is the week
 *    before its document's reference date, and it also joins an incident of
 *    the same kind and place that holds a claim of its own document. When a
 *    claim matches several incidents they merge (into the oldest). An
 *    incident's window is its claims' days, or when none is dated, the
 *    week before its earliest document to its latest document.
 *  - Bounds, per outcome and victims: low = the smallest lower figure,
 *    high = the largest upper figure, best = the lower median of the claims'
 *    figures; each bound names the claim (claimant, document) that states it.
 *  - Series: a cumulative claim is a point of the series (claimant, outcome,
 *    victims) as of its last day (else its document's reference date).
 *    "down": lower than the point before; "differs": another claimant gives
 *    a disjoint figure for the same outcome, victims and day.
 * Everything is keyed on indexes: a new claim touches only the incidents
 * and series it joins. The rules are pure logic over what the storage
 * operations (store/ops.h) return: no SQL here. Claims are processed in id order by both ingest and
 * relink, so relink gives the same result as ingesting in the same order.
 */
#include "link/link.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NEAR 32
#define MAX_IDS 64
#define UNDATED_DAYS 7

typedef struct idset {
    int64_t v[MAX_IDS];
    int n;
    int cap; /* 0: MAX_IDS */
} idset;

static void idset_add(idset *s, int64_t id) {
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == id) return;
    if (s->n < (s->cap ? s->cap : MAX_IDS)) s->v[s->n++] = id;
}

static int collect(void *ctx, int64_t id) {
    idset_add(ctx, id);
    return 0;
}

/* A claim's incidents are at its place, at the district of its town, or at
 * a town of its district (not at the region or the country of its town:
 * those are wider than one strike's place). */
#define MAX_RELATED 256

typedef struct nearby {
    int n, self_district;
    int64_t id[MAX_RELATED];
    tly_near how[MAX_RELATED];
    int district[MAX_RELATED];
} nearby;

static int near_one(void *ctx, int64_t id, tly_near how, const char *kind) {
    nearby *n = ctx;
    int district = kind && !strcmp(kind, "district");
    if (how == TLY_NEAR_SELF) n->self_district = district;
    if (n->n < MAX_RELATED) {
        n->id[n->n] = id;
        n->how[n->n] = how;
        n->district[n->n++] = district;
    }
    return 0;
}

/* The place, its district, and (a district) its towns, in id order: at
 * most MAX_NEAR. */
static tally_status near_places(const tly_store_ops *ops, tly_store *s, int64_t place, idset *out, tally_error *err) {
    nearby n;
    n.n = n.self_district = 0;
    tally_status st = ops->places_near(s, place, near_one, &n, err);
    int cap = out->cap;
    out->cap = MAX_NEAR;
    for (int i = 0; i < n.n && !st; i++)
        if (n.how[i] == TLY_NEAR_SELF || (n.how[i] == TLY_NEAR_PARENT && n.district[i]) ||
            (n.how[i] == TLY_NEAR_CHILD && n.self_district))
            idset_add(out, n.id[i]);
    out->cap = cap;
    return st;
}

static tally_status by_window(const tly_store_ops *ops, tly_store *s, const idset *near, const char *kind,
                              const char *wf, const char *wl, idset *out, tally_error *err) {
    for (int i = 0; i < near->n; i++) {
        tally_status st = ops->incidents_window(s, near->v[i], kind, wf, wl, collect, out, err);
        if (st) return st;
    }
    return TALLY_OK;
}

/* ---- an incident's claims: summary, place, bounds ---- */
typedef struct bclaim {
    int64_t id, low, high; /* TALLY_OPEN: open */
    char outcome[16], victims[16];
} bclaim;

typedef struct summary {
    bclaim *all;
    size_t n, cap;
    int nomem;
    char first[32], last[32], doc_first[32], doc_last[32];
    int64_t place;
    int place_admin;
    int64_t place_claim;
} summary;

static void keep_min(char dst[32], const char *v) {
    if (v && (!dst[0] || strcmp(v, dst) < 0)) snprintf(dst, 32, "%s", v);
}
static void keep_max(char dst[32], const char *v) {
    if (v && (!dst[0] || strcmp(v, dst) > 0)) snprintf(dst, 32, "%s", v);
}

/* a day (at most 10 bytes are kept) */
static void day_copy(char dst[11], const char *src) {
    size_t n = strnlen(src, 10);
    memcpy(dst, src, n);
    dst[n] = 0;
}

static int summary_add(void *ctx, const tly_inc_claim *c) {
    summary *m = ctx;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        bclaim *a = realloc(m->all, cap * sizeof *a);
        if (!a) { m->nomem = 1; return 1; }
        m->all = a;
        m->cap = cap;
    }
    bclaim *b = &m->all[m->n++];
    b->id = c->id;
    b->low = c->count_low;
    b->high = c->count_high;
    snprintf(b->outcome, sizeof b->outcome, "%s", c->outcome ? c->outcome : "");
    snprintf(b->victims, sizeof b->victims, "%s", c->victims ? c->victims : "");
    keep_min(m->first, c->first_day);
    keep_max(m->last, c->last_day);
    keep_min(m->doc_first, c->reference_date);
    keep_max(m->doc_last, c->reference_date);
    /* the incident's place: its most specific (a town before its district), then the first claim's */
    if (c->place_id && c->place_admin >= 0 &&
        (!m->place_claim || c->place_admin < m->place_admin ||
         (c->place_admin == m->place_admin && c->id < m->place_claim))) {
        m->place = c->place_id;
        m->place_admin = c->place_admin;
        m->place_claim = c->id;
    }
    return 0;
}

static int64_t lower_fig(const bclaim *c) { return c->low != TALLY_OPEN ? c->low : c->high; }
static int64_t upper_fig(const bclaim *c) { return c->high != TALLY_OPEN ? c->high : c->low; }

static int cmp_point(const void *a, const void *b) {
    const bclaim *x = a, *y = b;
    int64_t px = lower_fig(x), py = lower_fig(y);
    if (px != py) return px < py ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The bounds of one group of claims (same outcome and victims); 0: out of memory. */
static int bounds_of(const bclaim *g, size_t n, tly_bound_rec *out) {
    const bclaim *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        if (lower_fig(&g[i]) != TALLY_OPEN && (!lo || lower_fig(&g[i]) < lower_fig(lo))) lo = &g[i];
        if (upper_fig(&g[i]) != TALLY_OPEN && (!hi || upper_fig(&g[i]) > upper_fig(hi))) hi = &g[i];
    }
    /* best: the lower median of the figures (a figure some claim states) */
    bclaim *pts = malloc(n * sizeof *pts);
    if (!pts) return 0;
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (lower_fig(&g[i]) != TALLY_OPEN) pts[np++] = g[i];
    qsort(pts, np, sizeof *pts, cmp_point);
    bclaim best = np ? pts[(np - 1) / 2] : (bclaim){0, TALLY_OPEN, TALLY_OPEN, "", ""};
    free(pts);
    *out = (tly_bound_rec){
        .outcome = g[0].outcome,
        .victims = g[0].victims,
        .n_claims = (int64_t)n,
        .low = lo ? lower_fig(lo) : TALLY_OPEN,
        .low_claim = lo ? lo->id : 0,
        .best = best.id ? lower_fig(&best) : TALLY_OPEN,
        .best_claim = best.id,
        .high = hi ? upper_fig(hi) : TALLY_OPEN,
        .high_claim = hi ? hi->id : 0,
        .high_open = hi && hi->high == TALLY_OPEN,
    };
    return 1;
}

/* Recomputes an incident's days, window, place and bounds from its claims;
 * fills its window (empty strings when it has none) and place. */
static tally_status refresh(const tly_store_ops *ops, tly_store *s, int64_t inc, char wf[11], char wl[11],
                            int64_t *place, tally_error *err) {
    summary m;
    memset(&m, 0, sizeof m);
    tly_bound_rec *b = NULL;
    tally_status st = ops->incident_claims(s, inc, summary_add, &m, err);
    if (!st && m.nomem) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); }
    if (st) goto out;
    if (m.place_claim) *place = m.place;

    char f[11], la[11], df[11], dl[11];
    day_copy(f, m.first);
    day_copy(la, m.last);
    day_copy(df, m.doc_first);
    day_copy(dl, m.doc_last);
    wf[0] = wl[0] = 0;
    if (f[0] && la[0]) { memcpy(wf, f, 11); memcpy(wl, la, 11); }
    else if (df[0] && dl[0]) { tly_day_add(df, -UNDATED_DAYS, wf); memcpy(wl, dl, 11); }
    tly_incident_rec r = {*place, f, la, df, dl, wf, wl, (int64_t)m.n};
    if ((st = ops->incident_update(s, inc, &r, err))) goto out;

    /* the bounds, per outcome and victims (the claims come grouped) */
    size_t nb = 0;
    b = malloc((m.n ? m.n : 1) * sizeof *b);
    if (!b) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); goto out; }
    for (size_t i = 0; i < m.n;) {
        size_t j = i + 1;
        while (j < m.n && !strcmp(m.all[j].outcome, m.all[i].outcome) && !strcmp(m.all[j].victims, m.all[i].victims)) j++;
        if (!bounds_of(m.all + i, j - i, &b[nb++])) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); goto out; }
        i = j;
    }
    st = ops->bounds_set(s, inc, b, nb, err);
out:
    free(b);
    free(m.all);
    return st;
}

static tally_status incident_add(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, tally_error *err) {
    tally_status st;
    idset near = {.n = 0}, found = {.n = 0};
    if ((st = near_places(ops, s, c->place_id, &near, err))) return st;

    char wf[11] = "", wl[11] = "";
    if (c->first_day && c->last_day) {
        snprintf(wf, sizeof wf, "%s", c->first_day);
        snprintf(wl, sizeof wl, "%s", c->last_day);
    } else if (c->reference && tly_day_add(c->reference, -UNDATED_DAYS, wf)) {
        snprintf(wl, sizeof wl, "%s", c->reference);
    }
    if (!c->first_day)
        for (int i = 0; i < near.n; i++)
            if ((st = ops->incidents_of_doc(s, c->document_id, c->scope, near.v[i], collect, &found, err))) return st;
    if (wf[0] && (st = by_window(ops, s, &near, c->scope, wf, wl, &found, err))) return st;

    int64_t target;
    if (!found.n) {
        if ((st = ops->incident_insert(s, c->scope, c->place_id, &target, err))) return st;
    } else {
        target = found.v[0];
        for (int i = 1; i < found.n; i++)
            if (found.v[i] < target) target = found.v[i];
        for (int i = 0; i < found.n; i++)
            if (found.v[i] != target && (st = ops->incident_merge(s, target, found.v[i], err))) return st;
    }
    if ((st = ops->claim_set_incident(s, c->id, target, err))) return st;

    /* The incident's window may have grown: it now may overlap others. */
    for (int round = 0; round < 16; round++) {
        int64_t place = c->place_id;
        if ((st = refresh(ops, s, target, wf, wl, &place, err))) return st;
        if (!wf[0] || !found.n) break; /* a new incident only grew by this claim */
        idset more = {.n = 0}, near2 = near;
        if (place != c->place_id && (st = near_places(ops, s, place, &near2, err))) return st;
        if ((st = by_window(ops, s, &near2, c->scope, wf, wl, &more, err))) return st;
        int merged = 0;
        for (int i = 0; i < more.n; i++) {
            if (more.v[i] == target) continue;
            int64_t keep = more.v[i] < target ? more.v[i] : target;
            int64_t drop = keep == target ? more.v[i] : target;
            if ((st = ops->incident_merge(s, keep, drop, err))) return st;
            target = keep;
            merged = 1;
        }
        if (!merged) break;
    }
    return TALLY_OK;
}

/* ---- series ---- */
typedef struct differ {
    idset others;
    int64_t lo, hi;
} differ;

/* another claimant's point of the same day: does its figure overlap ours? */
static int disjoint(void *ctx, int64_t claim, int64_t count_low, int64_t count_high) {
    differ *d = ctx;
    int64_t lo = count_low != TALLY_OPEN ? count_low : 0;
    int64_t hi = count_high != TALLY_OPEN ? count_high : INT64_MAX;
    if (hi < d->lo || d->hi < lo) idset_add(&d->others, claim);
    return 0;
}

static tally_status series_add(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, tally_error *err) {
    tally_status st;
    int64_t series;
    if ((st = ops->series_get(s, c->claimant_id, c->claimant, c->outcome, c->victims, &series, err))) return st;
    const char *as_of = c->last_day ? c->last_day : c->reference;
    int64_t value = c->count_low != TALLY_OPEN ? c->count_low : c->count_high;
    tly_point_rec p = {c->id, series, as_of, c->date_start, value, c->count_low, c->count_high};
    if ((st = ops->point_insert(s, &p, err))) return st;
    if (!as_of || value == TALLY_OPEN) return TALLY_OK;

    /* "down": against the point before; and the point after, against this one */
    for (int dir = 0; dir < 2; dir++) {
        int have;
        int64_t other, ov;
        if ((st = ops->point_neighbor(s, series, as_of, c->id, dir ? TLY_AFTER : TLY_BEFORE, &have, &other, &ov, err)))
            return st;
        if (!have) continue;
        if ((st = ops->point_set_down(s, dir ? other : c->id, dir ? ov < value : value < ov, err))) return st;
    }

    /* "differs": other claimants, same outcome, victims and day, disjoint figures */
    differ d = {.others = {.n = 0}};
    d.lo = c->count_low != TALLY_OPEN ? c->count_low : 0;
    d.hi = c->count_high != TALLY_OPEN ? c->count_high : INT64_MAX;
    if ((st = ops->points_same_day(s, as_of, c->outcome, c->victims, series, disjoint, &d, err))) return st;
    for (int i = 0; i <= d.others.n && d.others.n; i++)
        if ((st = ops->point_add_differs(s, i < d.others.n ? d.others.v[i] : c->id, i < d.others.n ? 1 : d.others.n, err)))
            return st;
    return TALLY_OK;
}

tally_status tly_link_claim_add(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, tally_error *err) {
    if (!strcmp(c->scope, "cumulative")) return series_add(ops, s, c, err);
    if (c->place_id) return incident_add(ops, s, c, err);
    return TALLY_OK; /* a claim with no place joins no incident */
}

/* ---- relink ---- */
typedef struct rowbuf {
    tly_link_claim c;
    char scope[16], outcome[16], victims[16], first[11], last[11], ref[11], ds[11];
    char *claimant;
} rowbuf;

/* The first (or last) day of a stored date ("2020-10" -> 2020-10-01), or NULL. */
static const char *day_of(const char *iso, int last, char out[11]) {
    tally_date d;
    char f[11], la[11];
    if (!iso || !tally_date_parse(iso, strlen(iso), &d) || !tly_date_bounds(d, f, la)) return NULL;
    memcpy(out, last ? la : f, 11);
    return out;
}

enum { CHUNK = 512 };

typedef struct chunk {
    rowbuf *rows;
    int n, nomem;
} chunk;

static int chunk_add(void *ctx, const tly_stored_claim *sc) {
    chunk *k = ctx;
    rowbuf *r = &k->rows[k->n];
    free(r->claimant);
    memset(r, 0, sizeof *r);
    r->c.id = sc->c.id;
    r->c.document_id = sc->c.document_id;
    r->c.place_id = sc->c.place_id;
    r->c.claimant_id = sc->c.claimant_id;
    snprintf(r->scope, sizeof r->scope, "%s", sc->c.scope ? sc->c.scope : "");
    snprintf(r->outcome, sizeof r->outcome, "%s", sc->c.outcome ? sc->c.outcome : "");
    snprintf(r->victims, sizeof r->victims, "%s", sc->c.victims ? sc->c.victims : "");
    if (sc->c.first_day) { snprintf(r->first, sizeof r->first, "%s", sc->c.first_day); r->c.first_day = r->first; }
    if (sc->c.last_day) { snprintf(r->last, sizeof r->last, "%s", sc->c.last_day); r->c.last_day = r->last; }
    r->c.reference = day_of(sc->reference_date, 1, r->ref);
    r->c.date_start = day_of(sc->date_start_raw, 0, r->ds);
    r->c.count_low = sc->c.count_low;
    r->c.count_high = sc->c.count_high;
    if (sc->c.claimant && !(r->claimant = strdup(sc->c.claimant))) { k->nomem = 1; return 1; }
    r->c.scope = r->scope;
    r->c.outcome = r->outcome;
    r->c.victims = r->victims;
    r->c.claimant = r->claimant;
    return ++k->n == CHUNK;
}

tally_status tly_link_relink_all(const tly_store_ops *ops, tly_store *s, tally_error *err) {
    tally_status st = ops->links_clear(s, err);
    if (st) return st;
    chunk k = {calloc(CHUNK, sizeof(rowbuf)), 0, 0};
    if (!k.rows) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    int64_t after = 0;
    for (;;) {
        k.n = 0;
        /* a chunk is read whole before it is linked: no read runs while the rules write */
        if ((st = ops->claims_after(s, after, CHUNK, chunk_add, &k, err))) break;
        if (k.nomem) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); break; }
        for (int i = 0; i < k.n && !st; i++) st = tly_link_claim_add(ops, s, &k.rows[i].c, err);
        if (st || k.n < CHUNK) break;
        after = k.rows[k.n - 1].c.id;
    }
    for (int i = 0; i < CHUNK; i++) free(k.rows[i].claimant);
    free(k.rows);
    return st;
}
