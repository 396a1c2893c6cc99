/* test_gazetteer -- the gazetteer built by tools/mkgaz, opened from
 * $TALLY_GAZETTEER. Exit 0: all passed; 1: a check failed (each failure is
 * printed to stderr); 77: skipped (no gazetteer file). Checks that need the
 * GeoNames cities (Ganja, the two Martunis' populations, Paris...) are
 * skipped when the file was built from data/places alone. */
#include "lex/gazetteer.h"
#include "text/fold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        checks++;                                                             \
        if (!(cond)) {                                                        \
            failures++;                                                       \
            fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

static const tly_place *first(const tly_gazetteer *g, const char *text) {
    char key[256];
    size_t n = tly_fold(text, strlen(text), key, sizeof key);
    const tly_place *out[1];
    return tly_gaz_lookup(g, key, n, out, 1) ? out[0] : NULL;
}

static size_t all(const tly_gazetteer *g, const char *text, const tly_place **out, size_t max) {
    char key[256];
    size_t n = tly_fold(text, strlen(text), key, sizeof key);
    return tly_gaz_lookup(g, key, n, out, max);
}

static const char *nm(const tly_place *p) { return p ? p->name : "(none)"; }

static const tly_place *resolve(const tly_gazetteer *g, const char *text, const tly_place_ctx *ctx) {
    const tly_place *c[64];
    size_t n = all(g, text, c, 64);
    if (n > 64) n = 64;
    return n ? tly_gaz_resolve(g, c, n, ctx) : NULL;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static void wr32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

/* Exercises every entry point on an opened (possibly corrupt) gazetteer. */
static void poke(const tly_gazetteer *g) {
    static const char *keys[] = {"ganja", "tartar", "martuni", "paris", "azerbaijan", "zzz", "a",
                                 "nagorno", "san jose", "police"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const tly_place *out[8];
        size_t n = tly_gaz_lookup(g, keys[i], strlen(keys[i]), out, 8);
        for (size_t j = 0; j < n && j < 8; j++) {
            volatile size_t l = strlen(out[j]->name) + strlen(out[j]->admin1);
            (void)l;
        }
        (void)tly_gaz_has_prefix(g, keys[i], strlen(keys[i]));
        (void)tly_gaz_key_flags(g, keys[i], strlen(keys[i]));
        (void)tly_gaz_demonym(g, keys[i], strlen(keys[i]));
        if (n) (void)tly_gaz_resolve(g, out, n < 8 ? n : 8, NULL);
    }
    const tly_place *c = tly_gaz_country(g, "AZ");
    if (c) { volatile size_t l = strlen(c->name); (void)l; }
}

static void test_corrupt(const char *path) {
    tally_error err;
    memset(&err, 0, sizeof err);
    CHECK(tly_gaz_open("/nonexistent/dir/gazetteer.bin", NULL, &err) == NULL, "missing file opened");
    CHECK(err.code == TALLY_ERR_DATA, "missing file: code %d", (int)err.code);

    size_t len;
    unsigned char *img = slurp(path, &len);
    CHECK(img != NULL, "cannot read %s", path);
    if (!img) return;

    /* truncated, at several points, through a file and in memory */
    size_t cuts[] = {0, 7, 64, 127, 128, len / 2, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        memset(&err, 0, sizeof err);
        tly_gazetteer *g = tly_gaz_open_memory(img, cuts[i], NULL, &err);
        CHECK(g == NULL && err.code == TALLY_ERR_DATA, "truncated at %zu opened", cuts[i]);
        tly_gaz_close(g);
    }
    char tmp[] = "/tmp/tally-gaz-test-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        FILE *f = fdopen(fd, "wb");
        fwrite(img, 1, len / 3, f);
        fclose(f);
        memset(&err, 0, sizeof err);
        tly_gazetteer *g = tly_gaz_open(tmp, NULL, &err);
        CHECK(g == NULL && err.code == TALLY_ERR_DATA, "truncated file opened (code %d)", (int)err.code);
        tly_gaz_close(g);
        remove(tmp);
    }

    unsigned char *bad = malloc(len);
    if (!bad) { free(img); return; }

    /* bad magic, bad version, a section pointing outside the file */
    memcpy(bad, img, len);
    bad[0] ^= 0xFF;
    CHECK(tly_gaz_open_memory(bad, len, NULL, &err) == NULL && err.code == TALLY_ERR_DATA, "bad magic");
    memcpy(bad, img, len);
    wr32(bad + 8, 99);
    CHECK(tly_gaz_open_memory(bad, len, NULL, &err) == NULL && err.code == TALLY_ERR_DATA, "bad version");
    for (int s = 0; s < 11; s++) { /* 8 sections, then the 3 hash tables at 128 */
        memcpy(bad, img, len);
        wr32(bad + 64 + 8 * s, (uint32_t)len - 4);
        tly_gazetteer *g = tly_gaz_open_memory(bad, len, NULL, &err);
        if (g) poke(g); /* a section may legitimately fit there when tiny */
        tly_gaz_close(g);
    }
    memcpy(bad, img, len);
    wr32(bad + 24, 0xFFFFFFFFu); /* nplaces */
    CHECK(tly_gaz_open_memory(bad, len, NULL, &err) == NULL && err.code == TALLY_ERR_DATA, "huge nplaces");

    /* garbage in the body: the header is intact, so it opens; lookups must
     * not read outside the image (ASan / valgrind watch this) */
    memcpy(bad, img, len);
    wr32(bad + 152, 3); /* hash slots not a power of two */
    CHECK(tly_gaz_open_memory(bad, len, NULL, &err) == NULL && err.code == TALLY_ERR_DATA, "bad hash size");

    uint64_t body = 160;
    uint32_t seed = 12345;
    for (int round = 0; round < 6; round++) {
        memcpy(bad, img, len);
        for (size_t i = 0; i < 4000; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = body + (seed % (uint32_t)(len - body));
            bad[at] = (unsigned char)(seed >> 16);
        }
        if (round >= 3) { /* whole key table and country index scrambled */
            size_t koff = (size_t)(rd32(img + 72));
            for (size_t i = koff; i < koff + 4096 && i < len; i++) bad[i] = (unsigned char)(i * 131u);
            size_t coff = (size_t)(rd32(img + 104));
            for (size_t i = coff; i < coff + 2704 && i < len; i++) bad[i] = 0xFF;
            /* the name hash: every slot taken, indexes out of range */
            size_t hoff = (size_t)(rd32(img + 128));
            for (size_t i = hoff; i < hoff + 65536 && i < len; i++) bad[i] = (unsigned char)(round == 3 ? 0xFF : i * 7u);
            size_t poff = (size_t)(rd32(img + 136));
            for (size_t i = poff; i < poff + 65536 && i < len; i++) bad[i] = 0xFF;
        }
        tly_gazetteer *g = tly_gaz_open_memory(bad, len, NULL, &err);
        if (g) {
            poke(g);
            tly_gaz_close(g);
        }
    }
    free(bad);
    free(img);
}

int main(void) {
    const char *path = getenv("TALLY_GAZETTEER");
    if (!path || !*path) {
        fprintf(stderr, "test_gazetteer: TALLY_GAZETTEER not set: skipped\n");
        return 77;
    }
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        fprintf(stderr, "test_gazetteer: %s absent: skipped\n", path);
        return 77;
    }
    fclose(probe);

    tally_error err;
    memset(&err, 0, sizeof err);
    tly_gazetteer *g = tly_gaz_open(path, NULL, &err);
    CHECK(g != NULL, "open %s: %s", path, err.message);
    if (!g) return 1;
    int full = tly_gaz_count(g) > 100000; /* built with GeoNames cities500 */
    CHECK(tly_gaz_count(g) > 500, "only %zu places", tly_gaz_count(g));

    /* countries, demonyms */
    const tly_place *az = first(g, "Azerbaijan");
    CHECK(az && az->kind == TLY_PLACE_COUNTRY && !strcmp(az->country, "AZ"), "azerbaijan -> %s", nm(az));
    CHECK(tly_gaz_country(g, "AZ") == az, "country(AZ)");
    CHECK(tly_gaz_country(g, "az") == az, "country(az)");
    CHECK(tly_gaz_country(g, "Q1") == NULL && tly_gaz_country(g, "") == NULL, "bad iso2");
    const tly_place *d = tly_gaz_demonym(g, "azerbaijani", 11);
    CHECK(d == az, "azerbaijani -> %s", nm(d));
    d = tly_gaz_demonym(g, "azeri", 5);
    CHECK(d == az, "azeri -> %s", nm(d));
    d = tly_gaz_demonym(g, "azerbaijanis", 12);
    CHECK(d == az, "azerbaijanis -> %s", nm(d));
    d = tly_gaz_demonym(g, "armenian", 8);
    CHECK(d && !strcmp(d->country, "AM"), "armenian -> %s", nm(d));
    d = tly_gaz_demonym(g, "ukrainian", 9);
    CHECK(d && !strcmp(d->country, "UA"), "ukrainian -> %s", nm(d));
    d = tly_gaz_demonym(g, "palestinians", 12);
    CHECK(d && !strcmp(d->country, "PS"), "palestinians -> %s", nm(d));
    CHECK(tly_gaz_demonym(g, "qwerty", 6) == NULL, "qwerty demonym");
    const tly_place *p = first(g, "Ivory Coast"), *q = first(g, "Côte d’Ivoire");
    CHECK(p && p == q && !strcmp(p->country, "CI"), "ivory coast %s / %s", nm(p), nm(q));
    p = first(g, "Burma");
    CHECK(p && !strcmp(p->country, "MM") && p->kind == TLY_PLACE_COUNTRY, "burma -> %s", nm(p));
    p = first(g, "DRC");
    CHECK(p && !strcmp(p->country, "CD"), "drc -> %s", nm(p));

    /* Azerbaijani towns and their spellings */
    const tly_place *t1 = first(g, "Tartar"), *t2 = first(g, "Terter"), *t3 = first(g, "Tərtər");
    CHECK(t1 && t1 == t2 && t2 == t3 && !strcmp(t1->country, "AZ"), "tartar %s / terter %s / tərtər %s",
          nm(t1), nm(t2), nm(t3));
    CHECK(t1 && (t1->flags & TLY_PLACE_CONFLICT), "tartar not flagged conflict");
    const tly_place *a1 = first(g, "Agjabadi"), *a2 = first(g, "Aghjabedi"), *a3 = first(g, "Ağcabədi");
    CHECK(a1 && a1 == a2 && a2 == a3 && !strcmp(a1->country, "AZ"), "agjabadi %s / aghjabedi %s / %s",
          nm(a1), nm(a2), nm(a3));
    const tly_place *k1 = first(g, "Khankendi"), *k2 = first(g, "Stepanakert");
    CHECK(k1 && k1 == k2, "khankendi %s / stepanakert %s", nm(k1), nm(k2));
    CHECK(k1 && strstr(k1->name, "Stepanakert") && strstr(k1->name, "Khankendi"), "name %s", nm(k1));
    /* "Şuşa" folds to "susa", also a name of Sousse (Tunisia, larger): the
     * conflict flag makes resolve prefer Shusha without any context */
    p = first(g, "Shushi");
    q = resolve(g, "Şuşa", NULL);
    CHECK(p && p == q, "shushi %s / şuşa %s", nm(p), nm(q));
    {
        const tly_place *m[16];
        size_t n = all(g, "Martuni", m, 16);
        int am = 0, kb = 0;
        for (size_t i = 0; i < n && i < 16; i++) {
            if (!strcmp(m[i]->country, "AM") && m[i]->kind == TLY_PLACE_CITY) am = 1;
            if (!strcmp(m[i]->country, "AZ") && !strcmp(m[i]->name, "Martuni (Khojavend)")) kb = 1;
        }
        if (full) CHECK(am, "martuni: no Armenian town among %zu", n);
        CHECK(kb, "martuni: no Martuni (Khojavend) among %zu", n);
        tly_place_ctx ctx = {0};
        tly_place_ctx_add(&ctx, "AZ", 1.0f);
        const tly_place *r = resolve(g, "Martuni", &ctx);
        CHECK(r && !strcmp(r->country, "AZ"), "martuni with AZ -> %s", nm(r));
        if (full) {
            memset(&ctx, 0, sizeof ctx);
            tly_place_ctx_add(&ctx, "AM", 1.0f);
            r = resolve(g, "Martuni", &ctx);
            CHECK(r && !strcmp(r->country, "AM"), "martuni with AM -> %s (%s)", nm(r), r ? r->country : "");
        }
    }
    p = first(g, "Nagorno-Karabakh");
    CHECK(p && p->kind == TLY_PLACE_REGION && (p->flags & TLY_PLACE_CONFLICT), "nagorno-karabakh -> %s", nm(p));
    q = first(g, "Artsakh");
    CHECK(p == q, "artsakh -> %s", nm(q));
    q = first(g, "Nagorno Karabakh");
    CHECK(p == q, "nagorno karabakh -> %s", nm(q));
    CHECK(tly_gaz_has_prefix(g, "nagorno", 7), "has_prefix(nagorno)");
    CHECK(tly_gaz_has_prefix(g, "gaza", 4), "has_prefix(gaza)");
    CHECK(!tly_gaz_has_prefix(g, "tartar district", 15), "has_prefix(tartar district)");
    CHECK(!tly_gaz_has_prefix(g, "qqqq", 4), "has_prefix(qqqq)");
    CHECK(!tly_gaz_has_prefix(g, "", 0), "has_prefix('')");
    p = first(g, "Gaza Strip");
    CHECK(p && !strcmp(p->country, "PS") && p->kind == TLY_PLACE_REGION, "gaza strip -> %s", nm(p));
    p = first(g, "Donbass");
    CHECK(p && !strcmp(p->country, "UA"), "donbass -> %s", nm(p));
    p = first(g, "Tigray");
    CHECK(p && !strcmp(p->country, "ET") && p->kind == TLY_PLACE_ADMIN1, "tigray -> %s", nm(p));
    p = first(g, "Donetsk Oblast");
    CHECK(p && p->kind == TLY_PLACE_ADMIN1 && !strcmp(p->country, "UA"), "donetsk oblast -> %s", nm(p));
    p = first(g, "Tartar District");
    CHECK(p && p->kind == TLY_PLACE_DISTRICT, "tartar district -> %s", nm(p));

    /* common words */
    CHECK(tly_gaz_key_flags(g, "us", 2) & TLY_PLACE_COMMONWORD, "us not a common word");
    CHECK(!(tly_gaz_key_flags(g, "azerbaijan", 10) & TLY_PLACE_COMMONWORD), "azerbaijan common");
    CHECK(tly_gaz_key_flags(g, "zzzz", 4) == 0, "zzzz flags");

    if (full) {
        const tly_place *gj = first(g, "Ganja");
        CHECK(gj && !strcmp(gj->country, "AZ") && gj->kind == TLY_PLACE_CITY && gj->population > 100000,
              "ganja -> %s", nm(gj));
        CHECK(gj && gj->lat > 40.0f && gj->lat < 41.5f && gj->lon > 46.0f && gj->lon < 47.0f, "ganja coords");
        /* Barda: the Azerbaijani one with AZ in context, the Russian one with RU */
        const tly_place *c[16];
        size_t n = all(g, "Barda", c, 16);
        int ru = 0;
        for (size_t i = 0; i < n && i < 16; i++)
            if (!strcmp(c[i]->country, "RU")) ru = 1;
        CHECK(ru, "barda: no Russian namesake");
        tly_place_ctx ctx = {0};
        tly_place_ctx_add(&ctx, "AZ", 1.0f);
        const tly_place *r = resolve(g, "Barda", &ctx);
        CHECK(r && !strcmp(r->country, "AZ"), "barda + AZ -> %s %s", nm(r), r ? r->country : "");
        memset(&ctx, 0, sizeof ctx);
        tly_place_ctx_add(&ctx, "RU", 1.0f);
        r = resolve(g, "Barda", &ctx);
        CHECK(r && !strcmp(r->country, "RU"), "barda + RU -> %s %s", nm(r), r ? r->country : "");
        /* Paris: France by default, the US one with US context */
        r = resolve(g, "Paris", NULL);
        CHECK(r && !strcmp(r->country, "FR"), "paris -> %s %s", nm(r), r ? r->country : "");
        memset(&ctx, 0, sizeof ctx);
        tly_place_ctx_add(&ctx, "US", 1.0f);
        r = resolve(g, "Paris", &ctx);
        CHECK(r && !strcmp(r->country, "US"), "paris + US -> %s %s", nm(r), r ? r->country : "");
        /* both named: the heavier wins; equal weights fall back on rank */
        memset(&ctx, 0, sizeof ctx);
        tly_place_ctx_add(&ctx, "FR", 1.0f);
        tly_place_ctx_add(&ctx, "US", 2.0f);
        r = resolve(g, "Paris", &ctx);
        CHECK(r && !strcmp(r->country, "US"), "paris + FR,US*2 -> %s %s", nm(r), r ? r->country : "");
        tly_place_ctx_add(&ctx, "FR", 2.0f);
        r = resolve(g, "Paris", &ctx);
        CHECK(r && !strcmp(r->country, "FR"), "paris + US*2,FR*3 -> %s %s", nm(r), r ? r->country : "");
        /* ranking: a country before a town of the same name */
        n = all(g, "Georgia", c, 16);
        CHECK(n >= 1 && c[0]->kind == TLY_PLACE_COUNTRY && !strcmp(c[0]->country, "GE"),
              "georgia first -> %s", n ? nm(c[0]) : "");
        /* towns by population */
        n = all(g, "Springfield", c, 16);
        int sorted = n > 2;
        for (size_t i = 1; i < n && i < 16; i++)
            if (c[i]->kind == c[i - 1]->kind && c[i]->population > c[i - 1]->population) sorted = 0;
        CHECK(sorted, "springfield not sorted by population (%zu)", n);
        CHECK(n > 16, "lookup returns the total (%zu)", n);
        CHECK(tly_gaz_lookup(g, "springfield", 11, NULL, 0) == n, "count without out");
        /* filters: airport codes and non-Latin names are not keys */
        CHECK(first(g, "Гянджа") == NULL, "cyrillic key indexed");
        p = first(g, "Police");
        CHECK(p && (tly_gaz_key_flags(g, "police", 6) & TLY_PLACE_COMMONWORD), "police not common");
        CHECK(p && (p->flags & TLY_PLACE_COMMONWORD), "Police (PL) place not flagged");
        p = first(g, "Kyiv");
        CHECK(p && !strcmp(p->country, "UA") && p->kind == TLY_PLACE_CITY, "kyiv -> %s", nm(p));
        p = first(g, "Mariupol");
        CHECK(p && !strcmp(p->admin1, "Donetsk Oblast"), "mariupol admin1 '%s'", p ? p->admin1 : "");
        p = first(g, "Donetsk");
        CHECK(p && p->kind == TLY_PLACE_CITY && !strcmp(p->country, "UA"), "donetsk -> %s", nm(p));
    }

    /* the context list */
    {
        tly_place_ctx ctx = {0};
        for (int i = 0; i < 20; i++) {
            char cc[3] = {(char)('A' + i), 'A', 0};
            tly_place_ctx_add(&ctx, cc, 1.0f);
        }
        CHECK(ctx.n == 16 && ctx.country[15][0] == 'T', "ctx overflow n=%zu", ctx.n);
        tly_place_ctx_add(&ctx, "ea", 2.0f);
        CHECK(ctx.n == 16 && !strcmp(ctx.country[15], "EA") && ctx.weight[15] == 3.0f, "ctx bump");
        tly_place_ctx_add(&ctx, NULL, 1.0f);
        tly_place_ctx_add(&ctx, "1", 1.0f);
        CHECK(ctx.n == 16, "ctx junk");
    }
    CHECK(tly_gaz_resolve(g, NULL, 0, NULL) == NULL, "resolve of nothing");
    CHECK(tly_gaz_lookup(g, "", 0, NULL, 0) == 0, "empty key");
    tly_gaz_close(g);

    test_corrupt(path);

    if (failures) {
        fprintf(stderr, "test_gazetteer: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("test_gazetteer: %d checks passed%s\n", checks, full ? "" : " (places-only gazetteer)");
    return 0;
}
