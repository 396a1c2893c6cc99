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
 * and series it joins. Claims are processed in id order by both ingest and
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
} idset;

static void idset_add(idset *s, int64_t id) {
    for (int i = 0; i < s->n; i++)
        if (s->v[i] == id) return;
    if (s->n < MAX_IDS) s->v[s->n++] = id;
}

static tally_status fail(tally_ledger *l, tally_error *err) { return tly_db_error(l, err, "linking"); }

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v) {
    if (v && *v) sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s, i);
}

static tally_status near_places(tally_ledger *l, int64_t place, idset *out, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_PLACE_NEAR);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, place);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (out->n < MAX_NEAR) idset_add(out, sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? TALLY_OK : fail(l, err);
}

static tally_status collect(tally_ledger *l, sqlite3_stmt *s, idset *out, tally_error *err) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) idset_add(out, sqlite3_column_int64(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? TALLY_OK : fail(l, err);
}

static tally_status by_window(tally_ledger *l, const idset *near, const char *kind, const char *wf,
                              const char *wl, idset *out, tally_error *err) {
    for (int i = 0; i < near->n; i++) {
        sqlite3_stmt *s = tly_stmt(l, TLY_ST_INC_BY_WINDOW);
        if (!s) return fail(l, err);
        sqlite3_bind_int64(s, 1, near->v[i]);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, wf, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, wl, -1, SQLITE_TRANSIENT);
        tally_status st = collect(l, s, out, err);
        if (st) return st;
    }
    return TALLY_OK;
}

static int step_ok(sqlite3_stmt *s) {
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

/* ---- bounds ---- */
typedef struct bclaim {
    int64_t id, low, high; /* TALLY_OPEN: open */
} bclaim;

static int64_t lower_fig(const bclaim *c) { return c->low != TALLY_OPEN ? c->low : c->high; }
static int64_t upper_fig(const bclaim *c) { return c->high != TALLY_OPEN ? c->high : c->low; }

static int cmp_point(const void *a, const void *b) {
    const bclaim *x = a, *y = b;
    int64_t px = lower_fig(x), py = lower_fig(y);
    if (px != py) return px < py ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static tally_status write_bounds(tally_ledger *l, int64_t inc, const char *outcome, const char *victims,
                                 bclaim *g, size_t n, tally_error *err) {
    if (!n) return TALLY_OK;
    const bclaim *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        if (lower_fig(&g[i]) != TALLY_OPEN && (!lo || lower_fig(&g[i]) < lower_fig(lo))) lo = &g[i];
        if (upper_fig(&g[i]) != TALLY_OPEN && (!hi || upper_fig(&g[i]) > upper_fig(hi))) hi = &g[i];
    }
    /* best: the lower median of the figures (a figure some claim states) */
    bclaim *pts = malloc(n * sizeof *pts);
    if (!pts) { tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (lower_fig(&g[i]) != TALLY_OPEN) pts[np++] = g[i];
    qsort(pts, np, sizeof *pts, cmp_point);
    bclaim best = np ? pts[(np - 1) / 2] : (bclaim){0, TALLY_OPEN, TALLY_OPEN};
    free(pts);

    sqlite3_stmt *s = tly_stmt(l, TLY_ST_BOUNDS_INSERT);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    sqlite3_bind_text(s, 2, outcome, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, victims, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)n);
    if (lo) { sqlite3_bind_int64(s, 5, lower_fig(lo)); sqlite3_bind_int64(s, 6, lo->id); }
    if (best.id) { sqlite3_bind_int64(s, 7, lower_fig(&best)); sqlite3_bind_int64(s, 8, best.id); }
    if (hi) { sqlite3_bind_int64(s, 9, upper_fig(hi)); sqlite3_bind_int64(s, 10, hi->id); }
    sqlite3_bind_int(s, 11, hi && hi->high == TALLY_OPEN);
    return step_ok(s) ? TALLY_OK : fail(l, err);
}

static tally_status refresh_bounds(tally_ledger *l, int64_t inc, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_BOUNDS_DELETE);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    if (!step_ok(s)) return fail(l, err);

    /* read the incident's claims, grouped by outcome and victims */
    s = tly_stmt(l, TLY_ST_INC_CLAIMS);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    size_t cap = 16, n = 0;
    bclaim *all = malloc(cap * sizeof *all);
    char (*keys)[2][16] = malloc(cap * sizeof *keys);
    tally_status st = TALLY_OK;
    if (!all || !keys) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); goto out; }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            bclaim *a2 = realloc(all, cap * sizeof *all);
            if (a2) all = a2;
            char (*k2)[2][16] = a2 ? realloc(keys, cap * sizeof *keys) : NULL;
            if (!a2 || !k2) { st = TALLY_ERR_NOMEM; tly_set_error(err, st, NULL); sqlite3_reset(s); goto out; }
            keys = k2;
        }
        all[n].id = sqlite3_column_int64(s, 0);
        snprintf(keys[n][0], 16, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(keys[n][1], 16, "%s", (const char *)sqlite3_column_text(s, 2));
        all[n].low = sqlite3_column_type(s, 3) == SQLITE_NULL ? TALLY_OPEN : sqlite3_column_int64(s, 3);
        all[n].high = sqlite3_column_type(s, 4) == SQLITE_NULL ? TALLY_OPEN : sqlite3_column_int64(s, 4);
        n++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) { st = fail(l, err); goto out; }
    for (size_t i = 0; i < n && !st;) {
        size_t j = i + 1;
        while (j < n && !strcmp(keys[j][0], keys[i][0]) && !strcmp(keys[j][1], keys[i][1])) j++;
        st = write_bounds(l, inc, keys[i][0], keys[i][1], all + i, j - i, err);
        i = j;
    }
out:
    free(all);
    free(keys);
    return st;
}

/* Recomputes an incident's days, window, place and bounds from its claims;
 * fills its window (empty strings when it has none) and place. */
static tally_status refresh(tally_ledger *l, int64_t inc, char wf[11], char wl[11], int64_t *place,
                            tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_INC_SUMMARY);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    char f[11] = "", la[11] = "", df[11] = "", dl[11] = "";
    int64_t n = 0;
    if (sqlite3_step(s) != SQLITE_ROW) { sqlite3_reset(s); return fail(l, err); }
#define COPY(dst, col)                                                                      \
    if (sqlite3_column_type(s, col) != SQLITE_NULL)                                         \
        snprintf(dst, sizeof dst, "%s", (const char *)sqlite3_column_text(s, col));
    COPY(f, 0) COPY(la, 1) COPY(df, 2) COPY(dl, 3)
#undef COPY
    n = sqlite3_column_int64(s, 4);
    sqlite3_reset(s);

    s = tly_stmt(l, TLY_ST_INC_PLACE);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    if (sqlite3_step(s) == SQLITE_ROW) *place = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);

    wf[0] = wl[0] = 0;
    if (f[0] && la[0]) { memcpy(wf, f, 11); memcpy(wl, la, 11); }
    else if (df[0] && dl[0]) { tly_day_add(df, -UNDATED_DAYS, wf); memcpy(wl, dl, 11); }

    s = tly_stmt(l, TLY_ST_INC_UPDATE);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, inc);
    sqlite3_bind_int64(s, 2, *place);
    bind_text_or_null(s, 3, f);
    bind_text_or_null(s, 4, la);
    bind_text_or_null(s, 5, df);
    bind_text_or_null(s, 6, dl);
    bind_text_or_null(s, 7, wf);
    bind_text_or_null(s, 8, wl);
    sqlite3_bind_int64(s, 9, n);
    if (!step_ok(s)) return fail(l, err);
    return refresh_bounds(l, inc, err);
}

static tally_status merge_into(tally_ledger *l, int64_t target, int64_t other, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_INC_MOVE_CLAIMS);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, target);
    sqlite3_bind_int64(s, 2, other);
    if (!step_ok(s)) return fail(l, err);
    if (!(s = tly_stmt(l, TLY_ST_BOUNDS_DELETE))) return fail(l, err);
    sqlite3_bind_int64(s, 1, other);
    if (!step_ok(s)) return fail(l, err);
    if (!(s = tly_stmt(l, TLY_ST_INC_DELETE))) return fail(l, err);
    sqlite3_bind_int64(s, 1, other);
    return step_ok(s) ? TALLY_OK : fail(l, err);
}

static tally_status incident_add(tally_ledger *l, const tly_link_claim *c, tally_error *err) {
    tally_status st;
    idset near = {.n = 0}, found = {.n = 0};
    if ((st = near_places(l, c->place_id, &near, err))) return st;

    char wf[11] = "", wl[11] = "";
    if (c->first_day && c->last_day) {
        snprintf(wf, sizeof wf, "%s", c->first_day);
        snprintf(wl, sizeof wl, "%s", c->last_day);
    } else if (c->reference && tly_day_add(c->reference, -UNDATED_DAYS, wf)) {
        snprintf(wl, sizeof wl, "%s", c->reference);
    }
    if (!c->first_day) {
        for (int i = 0; i < near.n; i++) {
            sqlite3_stmt *s = tly_stmt(l, TLY_ST_INC_BY_DOC);
            if (!s) return fail(l, err);
            sqlite3_bind_int64(s, 1, c->document_id);
            sqlite3_bind_text(s, 2, c->scope, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 3, near.v[i]);
            if ((st = collect(l, s, &found, err))) return st;
        }
    }
    if (wf[0] && (st = by_window(l, &near, c->scope, wf, wl, &found, err))) return st;

    int64_t target;
    if (!found.n) {
        sqlite3_stmt *s = tly_stmt(l, TLY_ST_INC_INSERT);
        if (!s) return fail(l, err);
        sqlite3_bind_text(s, 1, c->scope, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, c->place_id);
        if (!step_ok(s)) return fail(l, err);
        target = sqlite3_last_insert_rowid(l->db);
    } else {
        target = found.v[0];
        for (int i = 1; i < found.n; i++)
            if (found.v[i] < target) target = found.v[i];
        for (int i = 0; i < found.n; i++)
            if (found.v[i] != target && (st = merge_into(l, target, found.v[i], err))) return st;
    }
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_CLAIM_SET_INC);
    if (!s) return fail(l, err);
    sqlite3_bind_int64(s, 1, target);
    sqlite3_bind_int64(s, 2, c->id);
    if (!step_ok(s)) return fail(l, err);

    /* The incident's window may have grown: it now may overlap others. */
    for (int round = 0; round < 16; round++) {
        int64_t place = c->place_id;
        if ((st = refresh(l, target, wf, wl, &place, err))) return st;
        if (!wf[0] || !found.n) break; /* a new incident only grew by this claim */
        idset more = {.n = 0}, near2 = near;
        if (place != c->place_id && (st = near_places(l, place, &near2, err))) return st;
        if ((st = by_window(l, &near2, c->scope, wf, wl, &more, err))) return st;
        int merged = 0;
        for (int i = 0; i < more.n; i++) {
            if (more.v[i] == target) continue;
            int64_t keep = more.v[i] < target ? more.v[i] : target;
            int64_t drop = keep == target ? more.v[i] : target;
            if ((st = merge_into(l, keep, drop, err))) return st;
            target = keep;
            merged = 1;
        }
        if (!merged) break;
    }
    return TALLY_OK;
}

/* ---- series ---- */
static tally_status series_add(tally_ledger *l, const tly_link_claim *c, tally_error *err) {
    sqlite3_stmt *s = tly_stmt(l, TLY_ST_SERIES_FIND);
    if (!s) return fail(l, err);
    if (c->claimant_id) sqlite3_bind_int64(s, 1, c->claimant_id);
    sqlite3_bind_text(s, 2, c->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->victims, -1, SQLITE_STATIC);
    int64_t series = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) series = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(l, err);
    if (!series) {
        if (!(s = tly_stmt(l, TLY_ST_SERIES_INSERT))) return fail(l, err);
        if (c->claimant_id) sqlite3_bind_int64(s, 1, c->claimant_id);
        bind_text_or_null(s, 2, c->claimant);
        sqlite3_bind_text(s, 3, c->outcome, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, c->victims, -1, SQLITE_STATIC);
        if (!step_ok(s)) return fail(l, err);
        series = sqlite3_last_insert_rowid(l->db);
    }
    const char *as_of = c->last_day ? c->last_day : c->reference;
    int64_t value = c->count_low != TALLY_OPEN ? c->count_low : c->count_high;

    if (!(s = tly_stmt(l, TLY_ST_POINT_INSERT))) return fail(l, err);
    sqlite3_bind_int64(s, 1, c->id);
    sqlite3_bind_int64(s, 2, series);
    bind_text_or_null(s, 3, as_of);
    bind_text_or_null(s, 4, c->date_start);
    if (value != TALLY_OPEN) sqlite3_bind_int64(s, 5, value);
    if (c->count_low != TALLY_OPEN) sqlite3_bind_int64(s, 6, c->count_low);
    if (c->count_high != TALLY_OPEN) sqlite3_bind_int64(s, 7, c->count_high);
    if (!step_ok(s)) return fail(l, err);
    if (!(s = tly_stmt(l, TLY_ST_SERIES_BUMP))) return fail(l, err);
    sqlite3_bind_int64(s, 1, series);
    if (!step_ok(s)) return fail(l, err);
    if (!as_of || value == TALLY_OPEN) return TALLY_OK;

    /* "down": against the point before; and the point after, against this one */
    for (int dir = 0; dir < 2; dir++) {
        if (!(s = tly_stmt(l, dir ? TLY_ST_POINT_NEXT : TLY_ST_POINT_PREV))) return fail(l, err);
        sqlite3_bind_int64(s, 1, series);
        sqlite3_bind_text(s, 2, as_of, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, 3, c->id);
        rc = sqlite3_step(s);
        int have = rc == SQLITE_ROW && sqlite3_column_type(s, 1) != SQLITE_NULL;
        int64_t other = have ? sqlite3_column_int64(s, 0) : 0, ov = have ? sqlite3_column_int64(s, 1) : 0;
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(l, err);
        if (!have) continue;
        if (!(s = tly_stmt(l, TLY_ST_POINT_SET_DOWN))) return fail(l, err);
        sqlite3_bind_int64(s, 1, dir ? other : c->id);
        sqlite3_bind_int(s, 2, dir ? ov < value : value < ov);
        if (!step_ok(s)) return fail(l, err);
    }

    /* "differs": other claimants, same outcome, victims and day, disjoint figures */
    if (!(s = tly_stmt(l, TLY_ST_POINT_SAME_DAY))) return fail(l, err);
    sqlite3_bind_text(s, 1, as_of, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, c->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->victims, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, series);
    idset others = {.n = 0};
    int64_t mylo = c->count_low != TALLY_OPEN ? c->count_low : 0;
    int64_t myhi = c->count_high != TALLY_OPEN ? c->count_high : INT64_MAX;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t lo = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 1);
        int64_t hi = sqlite3_column_type(s, 2) == SQLITE_NULL ? INT64_MAX : sqlite3_column_int64(s, 2);
        if (hi < mylo || myhi < lo) idset_add(&others, sqlite3_column_int64(s, 0));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return fail(l, err);
    for (int i = 0; i <= others.n && others.n; i++) {
        if (!(s = tly_stmt(l, TLY_ST_POINT_ADD_DIFFERS))) return fail(l, err);
        sqlite3_bind_int64(s, 1, i < others.n ? others.v[i] : c->id);
        sqlite3_bind_int(s, 2, i < others.n ? 1 : others.n);
        if (!step_ok(s)) return fail(l, err);
    }
    return TALLY_OK;
}

tally_status tly_link_claim_add(tally_ledger *l, const tly_link_claim *c, tally_error *err) {
    if (!strcmp(c->scope, "cumulative")) return series_add(l, c, err);
    if (c->place_id) return incident_add(l, c, err);
    return TALLY_OK; /* a claim with no place joins no incident */
}

/* ---- relink ---- */
typedef struct rowbuf {
    tly_link_claim c;
    char scope[16], outcome[16], victims[16], first[11], last[11], ref[11], ds[11];
    char *claimant;
} rowbuf;

static const char *day_of(const unsigned char *iso, int last, char out[11]) {
    tally_date d;
    char f[11], la[11];
    if (!iso || !tally_date_parse((const char *)iso, strlen((const char *)iso), &d) || !tly_date_bounds(d, f, la))
        return NULL;
    memcpy(out, last ? la : f, 11);
    return out;
}

tally_status tly_link_relink_all(tally_ledger *l, tally_error *err) {
    tally_status st = tly_exec(l,
                               "DELETE FROM series_points; DELETE FROM series; DELETE FROM incident_bounds;"
                               " DELETE FROM incidents; UPDATE claims SET incident_id = NULL"
                               " WHERE incident_id IS NOT NULL;",
                               err);
    if (st) return st;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT c.id, c.document_id, c.place_id, c.claimant_id, c.scope, c.outcome,"
                           " c.victims, c.first_day, c.last_day, d.reference_date, c.date_start,"
                           " c.count_low, c.count_high, c.claimant"
                           " FROM claims c JOIN documents d ON d.id = c.document_id"
                           " WHERE c.id > ?1 ORDER BY c.id LIMIT 512",
                           -1, &q, NULL) != SQLITE_OK)
        return fail(l, err);
    enum { CHUNK = 512 };
    rowbuf *rows = calloc(CHUNK, sizeof *rows);
    if (!rows) { sqlite3_finalize(q); tly_set_error(err, TALLY_ERR_NOMEM, NULL); return TALLY_ERR_NOMEM; }
    int64_t after = 0;
    for (;;) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, after);
        int n = 0, rc = SQLITE_DONE;
        while (n < CHUNK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            rowbuf *r = &rows[n];
            free(r->claimant);
            memset(r, 0, sizeof *r);
#define TXT(col) ((const char *)sqlite3_column_text(q, col))
            r->c.id = sqlite3_column_int64(q, 0);
            r->c.document_id = sqlite3_column_int64(q, 1);
            r->c.place_id = sqlite3_column_int64(q, 2);
            r->c.claimant_id = sqlite3_column_int64(q, 3);
            snprintf(r->scope, sizeof r->scope, "%s", TXT(4));
            snprintf(r->outcome, sizeof r->outcome, "%s", TXT(5));
            snprintf(r->victims, sizeof r->victims, "%s", TXT(6));
            if (TXT(7)) { snprintf(r->first, sizeof r->first, "%s", TXT(7)); r->c.first_day = r->first; }
            if (TXT(8)) { snprintf(r->last, sizeof r->last, "%s", TXT(8)); r->c.last_day = r->last; }
            r->c.reference = day_of(sqlite3_column_text(q, 9), 1, r->ref);
            r->c.date_start = day_of(sqlite3_column_text(q, 10), 0, r->ds);
            r->c.count_low = sqlite3_column_type(q, 11) == SQLITE_NULL ? TALLY_OPEN : sqlite3_column_int64(q, 11);
            r->c.count_high = sqlite3_column_type(q, 12) == SQLITE_NULL ? TALLY_OPEN : sqlite3_column_int64(q, 12);
            if (TXT(13)) {
                r->claimant = strdup(TXT(13));
                if (!r->claimant) { rc = SQLITE_NOMEM; break; }
            }
#undef TXT
            r->c.scope = r->scope;
            r->c.outcome = r->outcome;
            r->c.victims = r->victims;
            r->c.claimant = r->claimant;
            n++;
        }
        if (n < CHUNK && rc != SQLITE_DONE) { st = rc == SQLITE_NOMEM ? TALLY_ERR_NOMEM : fail(l, err); break; }
        sqlite3_reset(q);
        for (int i = 0; i < n && !st; i++) st = tly_link_claim_add(l, &rows[i].c, err);
        if (st || n < CHUNK) break;
        after = rows[n - 1].c.id;
    }
    for (int i = 0; i < CHUNK; i++) free(rows[i].claimant);
    free(rows);
    sqlite3_finalize(q);
    if (st == TALLY_ERR_NOMEM) tly_set_error(err, st, NULL);
    return st;
}

tally_status tally_ledger_relink(tally_ledger *l, tally_error *err) {
    if (!l || l->readonly) { tly_set_error(err, TALLY_ERR_USAGE, "the ledger is not writable"); return TALLY_ERR_USAGE; }
    int own = !l->in_batch;
    tally_status st;
    if (own && (st = tly_exec(l, "BEGIN IMMEDIATE", err))) return st;
    st = tly_link_relink_all(l, err);
    if (own) {
        if (!st) st = tly_exec(l, "COMMIT", err);
        if (st) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return st;
}
