/* codes.c -- the codes tables' rows from the data files (codes.h). */
#include "store/codes.h"
#include "store/sha256.h"
#include "util/data.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data files, in the order they are read and hashed. */
enum { CODE_FILES = 4 };
static const char *const code_files[CODE_FILES] = {"places/countries.tsv", "codebooks/ucdp_regions.tsv",
                                                   "places/country_codes.tsv", "codebooks/acled_weapons.tsv"};

typedef struct ucdp_range { long from, to; const char *region; } ucdp_range;
typedef struct codes_ctx {
    int (*country)(void *ctx, const tly_country_code *c);
    int (*weapon)(void *ctx, const tly_weapon_code *w);
    void *ctx;
    const char *names[26 * 26];
    ucdp_range ranges[32];
    size_t nranges;
    int stopped;
} codes_ctx;

static int cc_index(const char *iso2) {
    if (!iso2 || iso2[0] < 'A' || iso2[0] > 'Z' || iso2[1] < 'A' || iso2[1] > 'Z' || iso2[2]) return -1;
    return (iso2[0] - 'A') * 26 + (iso2[1] - 'A');
}

/* a row of countries.tsv: iso2, name (the first name of a code wins) */
static int on_country_name(void *ctx, char **f, int n, int lineno) {
    (void)lineno;
    codes_ctx *c = ctx;
    int i = n >= 2 ? cc_index(f[0]) : -1;
    if (i >= 0 && !c->names[i]) c->names[i] = f[1];
    return 0;
}

/* a row of ucdp_regions.tsv: the first and last Gleditsch-Ward code of a region */
static int on_ucdp_region(void *ctx, char **f, int n, int lineno) {
    (void)lineno;
    codes_ctx *c = ctx;
    if (n >= 3 && c->nranges < sizeof c->ranges / sizeof c->ranges[0])
        c->ranges[c->nranges++] = (ucdp_range){strtol(f[0], NULL, 10), strtol(f[1], NULL, 10), f[2]};
    return 0;
}

static int dash_null(const char *v) { return !v || !*v || !strcmp(v, "-"); }

/* a row of country_codes.tsv: iso2, iso3, iso_numeric, gw_code, acled_region */
static int on_country_codes(void *ctx, char **f, int n, int lineno) {
    (void)lineno;
    codes_ctx *c = ctx;
    int i = n >= 5 ? cc_index(f[0]) : -1;
    if (i < 0) return 0;
    tly_country_code k = {f[0], c->names[i] ? c->names[i] : f[0], dash_null(f[1]) ? NULL : f[1],
                          dash_null(f[2]) ? -1 : strtoll(f[2], NULL, 10), -1, dash_null(f[4]) ? NULL : f[4], NULL};
    if (!dash_null(f[3])) {
        k.gw_code = strtol(f[3], NULL, 10);
        /* the last range that holds it: a narrower one listed later wins */
        for (size_t r = 0; r < c->nranges; r++)
            if (k.gw_code >= c->ranges[r].from && k.gw_code <= c->ranges[r].to) k.ucdp_region = c->ranges[r].region;
    }
    if (c->country(c->ctx, &k)) { c->stopped = 1; return 1; }
    return 0;
}

/* a row of acled_weapons.tsv: weapon class, disorder_type, event_type, sub_event_type */
static int on_acled_weapon(void *ctx, char **f, int n, int lineno) {
    (void)lineno;
    codes_ctx *c = ctx;
    if (n < 4) return 0;
    tly_weapon_code w = {f[0], f[1], f[2], f[3]};
    if (c->weapon(c->ctx, &w)) { c->stopped = 1; return 1; }
    return 0;
}

int tly_codes_each(tly_arena *a, int (*country)(void *ctx, const tly_country_code *c),
                   int (*weapon)(void *ctx, const tly_weapon_code *w), void *ctx) {
    codes_ctx *c = calloc(1, sizeof *c);
    if (!c) return 1;
    c->country = country;
    c->weapon = weapon;
    c->ctx = ctx;
    tly_tsv_fn fns[CODE_FILES] = {on_country_name, on_ucdp_region, on_country_codes, on_acled_weapon};
    for (int i = 0; i < CODE_FILES && !c->stopped; i++) {
        size_t len = 0;
        const char *data = tly_data_get(NULL, a, code_files[i], &len);
        if (data) tly_tsv_each(a, data, len, fns[i], c);
    }
    int stopped = c->stopped;
    free(c);
    return stopped;
}

void tly_codes_hash(char out[65]) {
    tly_sha256 h;
    tly_sha256_init(&h);
    for (int i = 0; i < CODE_FILES; i++) {
        size_t len = 0;
        const char *d = tly_data_get(NULL, NULL, code_files[i], &len);
        if (d) tly_sha256_update(&h, d, len);
    }
    unsigned char d[32];
    tly_sha256_final(&h, d);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}
