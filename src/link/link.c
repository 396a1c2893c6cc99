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
    if (!m.n) { st = ops->incident_delete(s, inc, err); goto out; } /* its last claim left it (a review) */
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

/* ---- incidents, incrementally ----
 * A join updates the incident's days, documents' days, window, place and
 * count from its stored state (O(1)); its bounds are recomputed from its
 * claims once per batch (tly_link_flush), for the incidents marked dirty. */
struct tly_linker {
    int64_t *dirty;
    size_t n, cap;
    int nomem;
};

tly_linker *tly_linker_new(void) { return calloc(1, sizeof(tly_linker)); }
void tly_linker_free(tly_linker *k) {
    if (!k) return;
    free(k->dirty);
    free(k);
}
void tly_linker_forget(tly_linker *k) {
    if (k) k->n = 0;
}

static void mark(tly_linker *k, int64_t id) {
    if (!k) return;
    if (k->n && k->dirty[k->n - 1] == id) return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        int64_t *d = realloc(k->dirty, cap * sizeof *d);
        if (!d) { k->nomem = 1; return; }
        k->dirty = d;
        k->cap = cap;
    }
    k->dirty[k->n++] = id;
}

static int cmp_id(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

tally_status tly_link_flush(const tly_store_ops *ops, tly_store *s, tly_linker *k, tally_error *err) {
    if (!k) return TALLY_OK;
    if (k->nomem) { k->nomem = 0; k->n = 0; tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    if (k->n > 1) qsort(k->dirty, k->n, sizeof *k->dirty, cmp_id);
    tally_status st = TALLY_OK;
    for (size_t i = 0; i < k->n && !st; i++) {
        if (i && k->dirty[i] == k->dirty[i - 1]) continue;
        char wf[11], wl[11];
        int64_t place = 0;
        st = refresh(ops, s, k->dirty[i], wf, wl, &place, err);
    }
    k->n = 0;
    return st;
}

/* A point incident spans at most POINT_DAYS days past its first unless a
 * claim's own dates span more; a claim of scope incident whose dates span
 * more than POINT_MAX_DAYS is not one strike (it links as an aggregate).
 * An undated point incident's documents span at most UNDATED_DAYS. */
#define POINT_DAYS 3
#define POINT_MAX_DAYS 31

/* A place wider than one strike's: a country, a region, an area. */
static int wide_place(const char *kind) {
    return kind && (!strcmp(kind, "country") || !strcmp(kind, "region") || !strcmp(kind, "area"));
}

static const char *dmin(const char *a, const char *b) {
    if (!a || !*a) return b && *b ? b : NULL;
    if (!b || !*b) return a;
    return strcmp(a, b) <= 0 ? a : b;
}
static const char *dmax(const char *a, const char *b) {
    if (!a || !*a) return b && *b ? b : NULL;
    if (!b || !*b) return a;
    return strcmp(a, b) >= 0 ? a : b;
}
static long span_of(const char *a, const char *b) { return a && b && *a && *b ? tly_day_diff(a, b) : 0; }

/* Would the incident u still be a point with days f..l and documents' days df..dl added? */
static int fits(const char *kind, const tly_incident_state *u, const char *f, const char *l, const char *df,
                const char *dl) {
    if (strcmp(kind, "incident")) return 1;
    if (f && *f && u->first_day[0]) {
        long cap = POINT_DAYS, own = span_of(f, l), inc = span_of(u->first_day, u->last_day);
        if (own > cap) cap = own;
        if (inc > cap) cap = inc;
        if (span_of(dmin(f, u->first_day), dmax(l, u->last_day)) > cap) return 0;
    }
    if (!(f && *f) && !u->first_day[0] && df && *df && u->doc_first[0]) {
        long cap = UNDATED_DAYS, inc = span_of(u->doc_first, u->doc_last);
        if (inc > cap) cap = inc;
        if (span_of(dmin(df, u->doc_first), dmax(dl, u->doc_last)) > cap) return 0;
    }
    return 1;
}

static void put_day(char dst[11], const char *v) {
    if (v) day_copy(dst, v);
    else dst[0] = 0;
}

static void st_union(tly_incident_state *u, const char *f, const char *l, const char *df, const char *dl) {
    char a[11], b[11], c[11], d[11];
    put_day(a, dmin(u->first_day, f));
    put_day(b, dmax(u->last_day, l));
    put_day(c, dmin(u->doc_first, df));
    put_day(d, dmax(u->doc_last, dl));
    memcpy(u->first_day, a, 11);
    memcpy(u->last_day, b, 11);
    memcpy(u->doc_first, c, 11);
    memcpy(u->doc_last, d, 11);
}

static void window_of(const tly_incident_state *u, char wf[11], char wl[11]) {
    wf[0] = wl[0] = 0;
    if (u->first_day[0] && u->last_day[0]) { memcpy(wf, u->first_day, 11); memcpy(wl, u->last_day, 11); }
    else if (u->doc_first[0] && u->doc_last[0]) { tly_day_add(u->doc_first, -UNDATED_DAYS, wf); memcpy(wl, u->doc_last, 11); }
}

static tally_status write_state(const tly_store_ops *ops, tly_store *s, int64_t inc, const tly_incident_state *u,
                                tally_error *err) {
    char wf[11], wl[11];
    window_of(u, wf, wl);
    tly_incident_rec r = {u->place_id, u->first_day, u->last_day, u->doc_first, u->doc_last, wf, wl, u->n_claims};
    return ops->incident_update(s, inc, &r, err);
}

/* Folds incident other (its state o) into u, keeping the more specific place. */
static void fold(tly_incident_state *u, const tly_incident_state *o) {
    st_union(u, o->first_day, o->last_day, o->doc_first, o->doc_last);
    if (o->place_admin >= 0 && (u->place_admin < 0 || o->place_admin < u->place_admin)) {
        u->place_id = o->place_id;
        u->place_admin = o->place_admin;
    }
    u->n_claims += o->n_claims;
}

static tally_status incident_add(const tly_store_ops *ops, tly_store *s, tly_linker *k, const tly_link_claim *c,
                                 tally_error *err) {
    tally_status st;
    const char *kind = c->scope;
    if (!strcmp(kind, "incident") && c->first_day && c->last_day && span_of(c->first_day, c->last_day) > POINT_MAX_DAYS)
        kind = "aggregate"; /* a total over its dates, not one strike */
    if (!strcmp(kind, "incident") && wide_place(c->place_kind)) return TALLY_OK; /* no point at a country's capital */
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
            if ((st = ops->incidents_of_doc(s, c->document_id, kind, near.v[i], collect, &found, err))) return st;
    if (wf[0] && (st = by_window(ops, s, &near, kind, wf, wl, &found, err))) return st;
    qsort(found.v, (size_t)found.n, sizeof found.v[0], cmp_id);

    int claim_admin = c->place_kind ? (!strcmp(c->place_kind, "district") || !strcmp(c->place_kind, "region")) : 0;
    tly_incident_state u;
    memset(&u, 0, sizeof u);
    int64_t target = 0;
    for (int i = 0; i < found.n; i++) {
        tly_incident_state o;
        int have = 0;
        if ((st = ops->incident_get(s, found.v[i], &o, &have, err))) return st;
        if (!have) continue;
        if (!target) {
            if (!fits(kind, &o, c->first_day, c->last_day, c->reference, c->reference)) continue;
            target = found.v[i];
            u = o;
        } else {
            tly_incident_state t = u;
            st_union(&t, c->first_day, c->last_day, c->reference, c->reference);
            if (!fits(kind, &t, o.first_day, o.last_day, o.doc_first, o.doc_last)) continue;
            if ((st = ops->incident_merge(s, target, found.v[i], err))) return st;
            fold(&u, &o);
        }
    }
    if (!target) {
        if ((st = ops->incident_insert(s, kind, c->place_id, &target, err))) return st;
        u.place_id = c->place_id;
        u.place_admin = claim_admin;
    }
    if ((st = ops->claim_set_incident(s, c->id, target, err))) return st;
    char of[11], ol[11];
    window_of(&u, of, ol);
    int grew = found.n > 0;
    st_union(&u, c->first_day, c->last_day, c->reference, c->reference);
    if (u.place_admin < 0 || claim_admin < u.place_admin) { u.place_id = c->place_id; u.place_admin = claim_admin; }
    u.n_claims++;
    if ((st = write_state(ops, s, target, &u, err))) return st;
    mark(k, target);

    /* The incident's window may have grown: it now may overlap others. */
    for (int round = 0; round < 16 && grew; round++) {
        char nf[11], nl[11];
        window_of(&u, nf, nl);
        if (!nf[0] || (!strcmp(nf, of) && !strcmp(nl, ol))) break;
        memcpy(of, nf, 11);
        memcpy(ol, nl, 11);
        idset more = {.n = 0}, near2 = near;
        if (u.place_id != c->place_id && (st = near_places(ops, s, u.place_id, &near2, err))) return st;
        if ((st = by_window(ops, s, &near2, kind, nf, nl, &more, err))) return st;
        qsort(more.v, (size_t)more.n, sizeof more.v[0], cmp_id);
        int merged = 0;
        for (int i = 0; i < more.n; i++) {
            if (more.v[i] == target) continue;
            tly_incident_state o;
            int have = 0;
            if ((st = ops->incident_get(s, more.v[i], &o, &have, err))) return st;
            if (!have || !fits(kind, &u, o.first_day, o.last_day, o.doc_first, o.doc_last)) continue;
            int64_t keep = more.v[i] < target ? more.v[i] : target;
            int64_t drop = keep == target ? more.v[i] : target;
            if ((st = ops->incident_merge(s, keep, drop, err))) return st;
            fold(&u, &o);
            target = keep;
            merged = 1;
        }
        if (!merged) break;
        if ((st = write_state(ops, s, target, &u, err))) return st;
        mark(k, target);
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

/* A background figure: its period ended more than BACKGROUND_DAYS before
 * its document ("the war ended in 1994 after killing 30,000"). */
#define BACKGROUND_DAYS 365
#define MAX_SERIES 64

typedef struct scand {
    int n;
    int64_t id[MAX_SERIES];
    char period[MAX_SERIES][11], first[MAX_SERIES][11];
} scand;

static int series_one(void *ctx, int64_t id, const char *period, const char *first) {
    scand *c = ctx;
    if (c->n == MAX_SERIES) return 1;
    c->id[c->n] = id;
    put_day(c->period[c->n], period);
    put_day(c->first[c->n], first);
    c->n++;
    return 0;
}

/* The series of a cumulative claim: its claimant's figure for one subject
 * (outcome, victims, the place's country) and one frame (docs/schema.md):
 *  - background (as of long before the document): the series of that day;
 *  - in the journalist's voice (no speaker in the text) and undated: the
 *    document's own series (a figure it recalls, not a running total);
 *  - with a period start ("since September 27"): the series of that start,
 *    else an open series whose points are all on or after it, which takes
 *    the start;
 *  - else the series with the latest start on or before its day, else the
 *    open series. */
static tally_status series_of(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, const char *as_of,
                              int64_t *out, char frame[96], tally_error *err) {
    char bg[11] = "";
    int background = as_of && c->reference && tly_day_add(c->reference, -BACKGROUND_DAYS, bg) && strcmp(as_of, bg) < 0;
    int own_doc = !background && !c->has_speaker && !c->has_date_text;
    const char *period = background ? as_of : c->date_start;
    const char *cc = c->country ? c->country : "-";
    if (background) snprintf(frame, 96, "%s as of %s (background)", cc, as_of);
    else if (own_doc) snprintf(frame, 96, "%s (document %lld)", cc, (long long)c->document_id);
    else if (period) snprintf(frame, 96, "%s since %s", cc, period);
    else snprintf(frame, 96, "%s", cc);
    tly_series_rec key = {c->claimant_id, c->claimant, c->outcome, c->victims, c->country, period, background,
                          own_doc ? c->document_id : 0, frame};
    scand cand = {.n = 0};
    tally_status st = ops->series_each(s, &key, series_one, &cand, err);
    if (st) return st;
    int pick = -1, open = -1;
    for (int i = 0; i < cand.n; i++) {
        if (!cand.period[i][0]) { if (open < 0) open = i; continue; }
        if (period) { if (!strcmp(cand.period[i], period)) { pick = i; break; } continue; }
        if (as_of && strcmp(cand.period[i], as_of) <= 0 && (pick < 0 || strcmp(cand.period[i], cand.period[pick]) > 0))
            pick = i;
    }
    if (pick < 0 && open >= 0 && !background) {
        if (!period) pick = open;
        else if (!cand.first[open][0] || strcmp(cand.first[open], period) >= 0) {
            pick = open;
            if ((st = ops->series_set_period(s, cand.id[open], period, frame, err))) return st;
        }
    }
    if (pick >= 0) { *out = cand.id[pick]; return TALLY_OK; }
    if (!background && !period && !own_doc) snprintf(frame, 96, "%s", cc);
    return ops->series_insert(s, &key, out, err);
}

static tally_status series_add(const tly_store_ops *ops, tly_store *s, const tly_link_claim *c, tally_error *err) {
    tally_status st;
    int64_t series;
    const char *as_of = c->last_day ? c->last_day : c->reference;
    char frame[96];
    if ((st = series_of(ops, s, c, as_of, &series, frame, err))) return st;
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

    /* "differs": other claimants, same subject, frame and day, disjoint figures */
    differ d = {.others = {.n = 0}};
    d.lo = c->count_low != TALLY_OPEN ? c->count_low : 0;
    d.hi = c->count_high != TALLY_OPEN ? c->count_high : INT64_MAX;
    if ((st = ops->points_same_day(s, as_of, c->outcome, c->victims, series, disjoint, &d, err))) return st;
    for (int i = 0; i <= d.others.n && d.others.n; i++)
        if ((st = ops->point_add_differs(s, i < d.others.n ? d.others.v[i] : c->id, i < d.others.n ? 1 : d.others.n, err)))
            return st;
    return TALLY_OK;
}

tally_status tly_link_claim_add(const tly_store_ops *ops, tly_store *s, tly_linker *k, const tly_link_claim *c,
                                tally_error *err) {
    if (c->rejected) return TALLY_OK; /* a reviewer rejected it */
    if (c->sentence_key || c->figure_key) { /* one claim, many documents: the first one carries it */
        int64_t same = 0;
        tally_status st = ops->claim_same(s, c->sentence_key, c->figure_key, c->id, &same, err);
        if (st) return st;
        if (same) return ops->claim_set_same(s, c->id, same, err);
    }
    if (!strcmp(c->scope, "cumulative")) return series_add(ops, s, c, err);
    if (c->place_id) return incident_add(ops, s, k, c, err);
    return TALLY_OK; /* a claim with no place joins no incident */
}

/* ---- relink ---- */
typedef struct rowbuf {
    tly_link_claim c;
    char scope[16], outcome[16], victims[16], first[11], last[11], ref[11], ds[11];
    char country[16], kind[16], skey[72], fkey[72];
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
    r->c.has_speaker = sc->c.has_speaker;
    r->c.has_date_text = sc->c.has_date_text;
    r->c.rejected = sc->c.rejected;
#define KEEP(field, buf)                                                         \
    if (sc->c.field) { snprintf(r->buf, sizeof r->buf, "%s", sc->c.field); r->c.field = r->buf; }
    KEEP(country, country)
    KEEP(place_kind, kind)
    KEEP(sentence_key, skey)
    KEEP(figure_key, fkey)
#undef KEEP
    if (sc->c.claimant && !(r->claimant = strdup(sc->c.claimant))) { k->nomem = 1; return 1; }
    r->c.scope = r->scope;
    r->c.outcome = r->outcome;
    r->c.victims = r->victims;
    r->c.claimant = r->claimant;
    return ++k->n == CHUNK;
}

tally_status tly_link_relink_all(const tly_store_ops *ops, tly_store *s, tly_linker *lk, tally_error *err) {
    tly_linker_forget(lk);
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
        for (int i = 0; i < k.n && !st; i++) st = tly_link_claim_add(ops, s, lk, &k.rows[i].c, err);
        if (st || k.n < CHUNK) break;
        after = k.rows[k.n - 1].c.id;
    }
    for (int i = 0; i < CHUNK; i++) free(k.rows[i].claimant);
    free(k.rows);
    if (!st) st = tly_link_flush(ops, s, lk, err);
    return st;
}

/* ---- one claim again (a review) ---- */
typedef struct idlist {
    int64_t *v;
    size_t n, cap;
    int nomem;
} idlist;

static int list_add(void *ctx, int64_t id) {
    idlist *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        int64_t *v = realloc(l->v, cap * sizeof *v);
        if (!v) { l->nomem = 1; return 1; }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return 0;
}

/* Takes the claim out of what it joined (its fields as stored). */
static tally_status take_one(const tly_store_ops *ops, tly_store *s, tly_linker *k, chunk *one, int64_t id,
                             tally_error *err) {
    one->n = 0;
    tally_status st = ops->claims_after(s, id - 1, 1, chunk_add, one, err);
    if (st) return st;
    if (one->nomem) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    int64_t inc, series, lo, hi;
    char as_of[11];
    if ((st = ops->claim_unlink(s, id, &inc, &series, as_of, &lo, &hi, err))) return st;
    if (inc) mark(k, inc);
    if (!series || !as_of[0] || one->n != 1 || one->rows[0].c.id != id) return TALLY_OK;
    /* the next point's "down" against the one before; the same day's "differs" without it */
    int hp, hn;
    int64_t pc, pv, nc, nv;
    if ((st = ops->point_neighbor(s, series, as_of, id, TLY_BEFORE, &hp, &pc, &pv, err))) return st;
    if ((st = ops->point_neighbor(s, series, as_of, id, TLY_AFTER, &hn, &nc, &nv, err))) return st;
    if (hn && (st = ops->point_set_down(s, nc, hp && nv < pv, err))) return st;
    differ d = {.others = {.n = 0}};
    d.lo = lo != TALLY_OPEN ? lo : 0;
    d.hi = hi != TALLY_OPEN ? hi : INT64_MAX;
    rowbuf *r = &one->rows[0];
    if ((st = ops->points_same_day(s, as_of, r->outcome, r->victims, series, disjoint, &d, err))) return st;
    for (int i = 0; i < d.others.n && !st; i++) st = ops->point_add_differs(s, d.others.v[i], -1, err);
    return st;
}

/* Links a stored claim again. */
static tally_status put_one(const tly_store_ops *ops, tly_store *s, tly_linker *k, chunk *one, int64_t id,
                            tally_error *err) {
    one->n = 0;
    tally_status st = ops->claims_after(s, id - 1, 1, chunk_add, one, err);
    if (st) return st;
    if (one->nomem) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    if (one->n != 1 || one->rows[0].c.id != id) return TALLY_OK;
    return tly_link_claim_add(ops, s, k, &one->rows[0].c, err);
}

typedef tally_status (*one_fn)(const tly_store_ops *, tly_store *, tly_linker *, chunk *, int64_t, tally_error *);

static tally_status each_one(const tly_store_ops *ops, tly_store *s, tly_linker *k, const int64_t *ids, size_t n,
                             one_fn fn, tally_error *err) {
    chunk one = {calloc(1, sizeof(rowbuf)), 0, 0};
    if (!one.rows) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    tally_status st = TALLY_OK;
    for (size_t i = 0; i < n && !st; i++) st = fn(ops, s, k, &one, ids[i], err);
    free(one.rows[0].claimant);
    free(one.rows);
    return st;
}

tally_status tly_link_claim_take(const tly_store_ops *ops, tly_store *s, tly_linker *k, int64_t claim_id,
                                 int64_t **ids, size_t *n, tally_error *err) {
    idlist l = {0};
    *ids = NULL;
    *n = 0;
    list_add(&l, claim_id);
    tally_status st = ops->copies_of(s, claim_id, list_add, &l, err);
    if (!st && l.nomem) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); }
    /* the copies before the claim they copy, so each is out when its claim leaves */
    for (size_t i = l.n; i-- > 1 && !st;) st = each_one(ops, s, k, &l.v[i], 1, take_one, err);
    if (!st) st = each_one(ops, s, k, l.v, 1, take_one, err);
    if (st) { free(l.v); return st; }
    *ids = l.v;
    *n = l.n;
    return TALLY_OK;
}

tally_status tly_link_claim_put(const tly_store_ops *ops, tly_store *s, tly_linker *k, const int64_t *ids, size_t n,
                                tally_error *err) {
    tally_status st = each_one(ops, s, k, ids, n, put_one, err);
    return st ? st : tly_link_flush(ops, s, k, err);
}
