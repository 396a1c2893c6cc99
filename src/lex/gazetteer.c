/* gazetteer.c -- the runtime side of the gazetteer: reads the file written
 * by tools/mkgaz (layout: the comment at the top of tools/mkgaz.c and
 * docs/gazetteer.md) into private memory once and answers lookups straight
 * from that image. It is read, not mapped: a mapping of a file that is
 * overwritten in place while tally runs (a rebuild, a `cp`) dies of SIGBUS,
 * a private copy cannot (the cost: ~36 MB resident, ~10 ms at open).
 *
 * Opening validates the header and that every section lies inside the file;
 * every offset read from a record is checked again when it is used, so a
 * corrupt file gives TALLY_ERR_DATA or empty answers, never a bad read.
 *
 * tly_place structs (which hold pointers) are made lazily, 256 at a time, the
 * first time a place is returned; a chunk is published with an atomic
 * compare-and-swap, so concurrent lookups stay safe and opening costs
 * nothing but the header check. */
#include "lex/gazetteer.h"
#include "util/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GAZ_MAGIC "TLYGAZ1\n"
#define GAZ_VERSION 2u
#define GAZ_HEADER 160u
#define GAZ_REC 28u
#define GAZ_KEY 12u
#define CHUNK_SHIFT 8u
#define CHUNK (1u << CHUNK_SHIFT)

typedef struct tly_gaz_index {
    const unsigned char *keys; /* nkeys + 1 entries */
    const unsigned char *post;
    uint32_t nkeys, npost;
    const unsigned char *hash; /* slots of (u32 hash, u32 key index + 1) */
    uint32_t hmask;            /* slots - 1 */
} tly_gaz_index;

struct tly_gazetteer {
    const tally_alc *alc;
    const unsigned char *base;
    size_t size;
    int mapped;
    uint32_t nplaces;
    const unsigned char *places, *cc, *str, *kpool;
    uint32_t str_size, kpool_size;
    tly_gaz_index names, dems;
    const unsigned char *phash; /* name prefixes that a space or '-' follows */
    uint32_t pmask;
    size_t nchunks;
    _Atomic(tly_place *) *chunks;
    tly_gaz_alt_fn alt;         /* other keys for a name not held as written (tly_gaz_set_alt) */
    const void *alt_ctx;
};

/* ------------------------------------------------------------ little-endian reads */
static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t rd64(const unsigned char *p) {
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}
static float rdf32(const unsigned char *p) {
    uint32_t v = rd32(p);
    float f;
    memcpy(&f, &v, sizeof f);
    return f;
}

static void set_err(tally_error *err, tally_status code, const char *doc, const char *msg) {
    if (!err) return;
    memset(err, 0, sizeof *err);
    err->code = code;
    if (doc) snprintf(err->doc, sizeof err->doc, "%s", doc);
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* ------------------------------------------------------------ open / close */
/* A section [off, off + n*elem) must lie inside the file, after the header. */
static int section(const unsigned char *base, size_t size, uint64_t off, uint64_t n, uint64_t elem,
                   const unsigned char **out) {
    if (elem && n > UINT64_MAX / elem) return 0;
    uint64_t len = n * elem;
    if (off < GAZ_HEADER || off > size || len > size - off) return 0;
    *out = base + off;
    return 1;
}

static tly_gazetteer *open_image(const unsigned char *base, size_t size, int mapped,
                                 const tally_alc *alc, const char *name, tally_error *err) {
    if (!alc) alc = tly_default_alc();
    const char *bad = NULL;
    if (size < GAZ_HEADER || memcmp(base, GAZ_MAGIC, 8) != 0) bad = "not a tally gazetteer file (bad magic)";
    else if (rd32(base + 8) != GAZ_VERSION) bad = "unsupported gazetteer version (rebuild it with tally-mkgaz)";
    else if (rd32(base + 12) != GAZ_HEADER || rd32(base + 28) != GAZ_REC) bad = "bad gazetteer header";
    else if (rd64(base + 16) != size) bad = "gazetteer file is truncated or has trailing bytes";
    if (bad) {
        set_err(err, TALLY_ERR_DATA, name, bad);
        return NULL;
    }
    uint32_t nplaces = rd32(base + 24), nkeys = rd32(base + 32), npost = rd32(base + 36);
    uint32_t ndkeys = rd32(base + 40), ndpost = rd32(base + 44);
    uint32_t str_size = rd32(base + 48), kpool_size = rd32(base + 52), ccslots = rd32(base + 56);
    uint32_t dslots = rd32(base + 60), nslots = rd32(base + 152), pslots = rd32(base + 156);
    const unsigned char *places, *keys, *post, *dkeys, *dpost, *cc, *str, *kpool, *nhash, *phash, *dhash;
    int pow2 = nslots && !(nslots & (nslots - 1)) && pslots && !(pslots & (pslots - 1)) && dslots &&
               !(dslots & (dslots - 1));
    if (!pow2 || ccslots != 1352 || nkeys == UINT32_MAX || ndkeys == UINT32_MAX ||
        !section(base, size, rd64(base + 64), nplaces, GAZ_REC, &places) ||
        !section(base, size, rd64(base + 72), (uint64_t)nkeys + 1, GAZ_KEY, &keys) ||
        !section(base, size, rd64(base + 80), npost, 4, &post) ||
        !section(base, size, rd64(base + 88), (uint64_t)ndkeys + 1, GAZ_KEY, &dkeys) ||
        !section(base, size, rd64(base + 96), ndpost, 4, &dpost) ||
        !section(base, size, rd64(base + 104), 1352, 4, &cc) ||
        !section(base, size, rd64(base + 112), str_size, 1, &str) ||
        !section(base, size, rd64(base + 120), kpool_size, 1, &kpool) ||
        !section(base, size, rd64(base + 128), nslots, 8, &nhash) ||
        !section(base, size, rd64(base + 136), pslots, 8, &phash) ||
        !section(base, size, rd64(base + 144), dslots, 8, &dhash) || str_size == 0 ||
        str[str_size - 1] != 0) {
        set_err(err, TALLY_ERR_DATA, name, "corrupt gazetteer: a section lies outside the file");
        return NULL;
    }
    tly_gazetteer *g = alc->malloc(alc->ctx, sizeof *g);
    size_t nchunks = ((size_t)nplaces + CHUNK - 1) / CHUNK;
    _Atomic(tly_place *) *chunks = nchunks ? alc->malloc(alc->ctx, nchunks * sizeof *chunks) : NULL;
    if (!g || (nchunks && !chunks)) {
        if (g) alc->free(alc->ctx, g);
        if (chunks) alc->free(alc->ctx, (void *)chunks);
        set_err(err, TALLY_ERR_NOMEM, name, "out of memory opening the gazetteer");
        return NULL;
    }
    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < nchunks; i++) atomic_init(&chunks[i], NULL);
    g->alc = alc;
    g->base = base;
    g->size = size;
    g->mapped = mapped;
    g->nplaces = nplaces;
    g->places = places;
    g->cc = cc;
    g->str = str;
    g->str_size = str_size;
    g->kpool = kpool;
    g->kpool_size = kpool_size;
    g->names = (tly_gaz_index){keys, post, nkeys, npost, nhash, nslots - 1};
    g->dems = (tly_gaz_index){dkeys, dpost, ndkeys, ndpost, dhash, dslots - 1};
    g->phash = phash;
    g->pmask = pslots - 1;
    g->nchunks = nchunks;
    g->chunks = chunks;
    return g;
}

tly_gazetteer *tly_gaz_open(const char *path, const tally_alc *alc, tally_error *err) {
    if (!path) {
        set_err(err, TALLY_ERR_DATA, NULL, "no gazetteer path");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_err(err, TALLY_ERR_DATA, path, "cannot open the gazetteer file");
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)GAZ_HEADER ||
        (uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        close(fd);
        set_err(err, TALLY_ERR_DATA, path, "the gazetteer is not a regular file of the right size");
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        close(fd);
        set_err(err, TALLY_ERR_NOMEM, path, "no memory for the gazetteer");
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, (char *)m + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (got < size || mprotect(m, size, PROT_READ) != 0) {
        munmap(m, size);
        set_err(err, TALLY_ERR_IO, path, "cannot read the gazetteer file (changed while it was read?)");
        return NULL;
    }
    tly_gazetteer *g = open_image(m, size, 1, alc, path, err);
    if (!g) munmap(m, size);
    return g;
}

tly_gazetteer *tly_gaz_open_memory(const void *data, size_t len, const tally_alc *alc,
                                   tally_error *err) {
    if (!data) {
        set_err(err, TALLY_ERR_DATA, NULL, "no gazetteer data");
        return NULL;
    }
    return open_image(data, len, 0, alc, "(memory)", err);
}

void tly_gaz_close(tly_gazetteer *g) {
    if (!g) return;
    const tally_alc *alc = g->alc;
    for (size_t i = 0; i < g->nchunks; i++) {
        tly_place *c = atomic_load_explicit(&g->chunks[i], memory_order_acquire);
        if (c) alc->free(alc->ctx, c);
    }
    if (g->chunks) alc->free(alc->ctx, (void *)g->chunks);
    if (g->mapped) munmap((void *)g->base, g->size);
    alc->free(alc->ctx, g);
}

size_t tly_gaz_count(const tly_gazetteer *g) { return g ? g->nplaces : 0; }

/* ------------------------------------------------------------ places */
static const char *pool_str(const tly_gazetteer *g, uint32_t off) {
    /* the pool ends with a NUL (checked at open), so any offset inside it
     * starts a terminated string */
    return off < g->str_size ? (const char *)g->str + off : "";
}

static void fill_place(const tly_gazetteer *g, uint32_t i, tly_place *p) {
    const unsigned char *r = g->places + (size_t)i * GAZ_REC;
    memset(p, 0, sizeof *p);
    p->id = rd32(r);
    p->name = pool_str(g, rd32(r + 4));
    p->admin1 = pool_str(g, rd32(r + 8));
    float lat = rdf32(r + 12), lon = rdf32(r + 16);
    p->lat = isfinite(lat) && fabsf(lat) <= 90.0f ? lat : 0.0f;
    p->lon = isfinite(lon) && fabsf(lon) <= 180.0f ? lon : 0.0f;
    p->population = rd32(r + 20);
    if (r[24] >= 'A' && r[24] <= 'Z' && r[25] >= 'A' && r[25] <= 'Z') {
        p->country[0] = (char)r[24];
        p->country[1] = (char)r[25];
    }
    p->kind = r[26] <= TLY_PLACE_REGION ? r[26] : TLY_PLACE_CITY;
    p->flags = r[27];
}

/* The place at index i, made on first use; NULL when i is out of range or
 * memory runs out. */
static const tly_place *place_at(const tly_gazetteer *g, uint32_t i) {
    if (i >= g->nplaces) return NULL;
    size_t c = i >> CHUNK_SHIFT;
    tly_place *chunk = atomic_load_explicit(&g->chunks[c], memory_order_acquire);
    if (!chunk) {
        size_t first = c << CHUNK_SHIFT;
        size_t n = g->nplaces - first < CHUNK ? g->nplaces - first : CHUNK;
        tly_place *fresh = g->alc->malloc(g->alc->ctx, n * sizeof *fresh);
        if (!fresh) return NULL;
        for (size_t k = 0; k < n; k++) fill_place(g, (uint32_t)(first + k), &fresh[k]);
        tly_place *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(&g->chunks[c], &expected, fresh,
                                                    memory_order_acq_rel, memory_order_acquire)) {
            chunk = fresh;
        } else {
            g->alc->free(g->alc->ctx, fresh);
            chunk = expected;
        }
    }
    return &chunk[i & (CHUNK - 1)];
}

/* ------------------------------------------------------------ key index */
typedef struct keyent {
    const unsigned char *s;
    uint32_t len, flags, first;
} keyent;

static keyent key_at(const tly_gazetteer *g, const tly_gaz_index *ix, uint32_t i) {
    const unsigned char *e = ix->keys + (size_t)i * GAZ_KEY;
    keyent k;
    uint32_t off = rd32(e), lf = rd32(e + 4);
    k.len = lf & 0xFFFFFFu;
    k.flags = lf >> 24;
    k.first = rd32(e + 8);
    if (off > g->kpool_size || k.len > g->kpool_size - off) {
        k.s = (const unsigned char *)"";
        k.len = 0;
    } else {
        k.s = g->kpool + off;
    }
    return k;
}

/* Finds key through the hash section; fills [*p0, *p1) with its postings.
 * Returns 1 when found. A probe sequence is bounded by the table size, so a
 * corrupt table full of entries cannot loop. */
static int find_key(const tly_gazetteer *g, const tly_gaz_index *ix, const char *key, size_t len,
                    uint32_t *p0, uint32_t *p1, uint32_t *flags) {
    if (!g || !key || len == 0 || ix->nkeys == 0) return 0;
    uint32_t h = tly_gaz_hash(key, len);
    for (uint32_t s = h & ix->hmask, n = 0; n <= ix->hmask; s = (s + 1) & ix->hmask, n++) {
        const unsigned char *e = ix->hash + (size_t)s * 8;
        uint32_t v = rd32(e + 4);
        if (!v) return 0;
        if (rd32(e) != h || v - 1 >= ix->nkeys) continue;
        keyent k = key_at(g, ix, v - 1);
        if (k.len != len || memcmp(k.s, key, len) != 0) continue;
        keyent next = key_at(g, ix, v);
        if (k.first > next.first || next.first > ix->npost) return 0; /* corrupt */
        *p0 = k.first;
        *p1 = next.first;
        if (flags) *flags = k.flags;
        return 1;
    }
    return 0;
}

static size_t collect(const tly_gazetteer *g, const tly_gaz_index *ix, uint32_t p0, uint32_t p1,
                      const tly_place **out, size_t max) {
    size_t n = 0;
    for (uint32_t p = p0; p < p1; p++) {
        uint32_t idx = rd32(ix->post + (size_t)p * 4);
        if (idx >= g->nplaces) continue;
        if (n < max) {
            const tly_place *pl = place_at(g, idx);
            if (!pl) continue;
            out[n] = pl;
        }
        n++;
    }
    return n;
}

void tly_gaz_set_alt(tly_gazetteer *g, tly_gaz_alt_fn fn, const void *ctx) {
    if (g) { g->alt = fn; g->alt_ctx = ctx; }
}

/* The other keys of a name the index does not hold as written (none without
 * tly_gaz_set_alt: the lookups below are then exact). */
static size_t alt_keys(const tly_gazetteer *g, const char *key, size_t len, int prefix,
                       char (*out)[TLY_GAZ_ALT_KEY]) {
    return g && g->alt && key && len ? g->alt(g->alt_ctx, key, len, prefix, out, TLY_GAZ_MAX_ALT) : 0;
}

size_t tly_gaz_lookup(const tly_gazetteer *g, const char *key, size_t len, const tly_place **out,
                      size_t max) {
    uint32_t p0, p1;
    if (!out) max = 0;
    if (find_key(g, g ? &g->names : NULL, key, len, &p0, &p1, NULL)) return collect(g, &g->names, p0, p1, out, max);
    char alt[TLY_GAZ_MAX_ALT][TLY_GAZ_ALT_KEY];
    size_t na = alt_keys(g, key, len, 0, alt);
    for (size_t k = 0; k < na; k++)
        if (find_key(g, &g->names, alt[k], strlen(alt[k]), &p0, &p1, NULL)) return collect(g, &g->names, p0, p1, out, max);
    return 0;
}

unsigned tly_gaz_key_flags(const tly_gazetteer *g, const char *key, size_t len) {
    uint32_t p0, p1, flags = 0;
    if (find_key(g, g ? &g->names : NULL, key, len, &p0, &p1, &flags)) return flags & TLY_PLACE_COMMONWORD;
    char alt[TLY_GAZ_MAX_ALT][TLY_GAZ_ALT_KEY];
    size_t na = alt_keys(g, key, len, 0, alt);
    for (size_t k = 0; k < na; k++)
        if (find_key(g, &g->names, alt[k], strlen(alt[k]), &p0, &p1, &flags)) return flags & TLY_PLACE_COMMONWORD;
    return 0;
}

static int has_prefix(const tly_gazetteer *g, const char *key, size_t len) {
    if (!g || !key || len == 0 || g->names.nkeys == 0) return 0;
    uint32_t h = tly_gaz_hash(key, len);
    for (uint32_t s = h & g->pmask, n = 0; n <= g->pmask; s = (s + 1) & g->pmask, n++) {
        const unsigned char *e = g->phash + (size_t)s * 8;
        uint32_t v = rd32(e + 4);
        if (!v) return 0;
        if (rd32(e) != h || v - 1 >= g->names.nkeys) continue;
        keyent k = key_at(g, &g->names, v - 1);
        if (k.len > len && memcmp(k.s, key, len) == 0 && (k.s[len] == ' ' || k.s[len] == '-')) return 1;
    }
    return 0;
}

int tly_gaz_has_prefix(const tly_gazetteer *g, const char *key, size_t len) {
    if (has_prefix(g, key, len)) return 1;
    char alt[TLY_GAZ_MAX_ALT][TLY_GAZ_ALT_KEY];
    size_t na = alt_keys(g, key, len, 1, alt);
    for (size_t k = 0; k < na; k++)
        if (has_prefix(g, alt[k], strlen(alt[k]))) return 1;
    return 0;
}

const tly_place *tly_gaz_country(const tly_gazetteer *g, const char *iso2) {
    if (!g || !iso2 || !iso2[0] || !iso2[1] || iso2[2]) return NULL;
    int a = iso2[0] & ~0x20, b = iso2[1] & ~0x20;
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return NULL;
    uint32_t v = rd32(g->cc + (size_t)((a - 'A') * 26 + (b - 'A')) * 4);
    if (v == 0 || v > g->nplaces) return NULL;
    return place_at(g, v - 1);
}

const tly_place *tly_gaz_capital(const tly_gazetteer *g, const char *iso2) {
    if (!g || !iso2 || !iso2[0] || !iso2[1] || iso2[2]) return NULL;
    int a = iso2[0] & ~0x20, b = iso2[1] & ~0x20;
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return NULL;
    uint32_t v = rd32(g->cc + (size_t)(676 + (a - 'A') * 26 + (b - 'A')) * 4);
    if (v == 0 || v > g->nplaces) return NULL;
    return place_at(g, v - 1);
}

const tly_place *tly_gaz_demonym(const tly_gazetteer *g, const char *key, size_t len) {
    uint32_t p0, p1;
    const tly_place *out = NULL;
    if (find_key(g, g ? &g->dems : NULL, key, len, &p0, &p1, NULL)) return collect(g, &g->dems, p0, p1, &out, 1) ? out : NULL;
    char alt[TLY_GAZ_MAX_ALT][TLY_GAZ_ALT_KEY];
    size_t na = alt_keys(g, key, len, 0, alt);
    for (size_t k = 0; k < na; k++)
        if (find_key(g, &g->dems, alt[k], strlen(alt[k]), &p0, &p1, NULL)) return collect(g, &g->dems, p0, p1, &out, 1) ? out : NULL;
    return NULL;
}

/* ------------------------------------------------------------ choosing among namesakes */
static float kind_score(uint8_t kind) {
    switch (kind) {
    case TLY_PLACE_COUNTRY: return 400.0f;
    case TLY_PLACE_ADMIN1: return 300.0f;
    case TLY_PLACE_REGION: return 200.0f;
    case TLY_PLACE_DISTRICT: return 200.0f;
    default: return 0.0f;
    }
}

/* Context: 1000 x the weight of the candidate's country (+10 per step of
 * recency); conflict area: +300; kind: country 400, admin1 300, region or
 * district 200; population: 40 x log10(population + 1) (at most ~290). */
static float score(const tly_place *p, const tly_place_ctx *ctx) {
    float s = kind_score(p->kind) + 40.0f * log10f((float)p->population + 1.0f);
    if (p->flags & TLY_PLACE_CONFLICT) s += 300.0f;
    if (ctx && p->country[0]) {
        size_t n = ctx->n < 16 ? ctx->n : 16;
        for (size_t i = 0; i < n; i++) {
            if (ctx->country[i][0] == p->country[0] && ctx->country[i][1] == p->country[1] &&
                ctx->weight[i] > 0.0f) {
                s += 1000.0f * ctx->weight[i] + 10.0f * (float)i;
                break;
            }
        }
    }
    return s;
}

const tly_place *tly_gaz_resolve(const tly_gazetteer *g, const tly_place *const *cands, size_t n,
                                 const tly_place_ctx *ctx) {
    (void)g;
    const tly_place *best = NULL;
    float bs = 0.0f;
    /* A town never outranks a country of the same name, whatever the
     * context: "Lebanon" in a story that names US states is still the
     * country, not Lebanon, Pennsylvania. */
    int has_country = 0;
    for (size_t i = 0; i < n; i++)
        if (cands && cands[i] && cands[i]->kind == TLY_PLACE_COUNTRY) has_country = 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands || !cands[i]) continue;
        if (has_country && cands[i]->kind == TLY_PLACE_CITY) continue;
        float s = score(cands[i], ctx);
        if (!best || s > bs) { /* ties keep the earlier (better-ranked) one */
            best = cands[i];
            bs = s;
        }
    }
    return best;
}

void tly_place_ctx_add(tly_place_ctx *ctx, const char *iso2, float weight) {
    if (!ctx || !iso2 || !iso2[0] || !iso2[1]) return;
    char a = (char)(iso2[0] & ~0x20), b = (char)(iso2[1] & ~0x20);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return;
    if (!(weight > 0.0f)) return; /* also rejects NaN */
    if (ctx->n > 16) ctx->n = 16;
    float w = weight;
    for (size_t i = 0; i < ctx->n; i++) {
        if (ctx->country[i][0] == a && ctx->country[i][1] == b) {
            w += ctx->weight[i];
            memmove(&ctx->country[i], &ctx->country[i + 1], (ctx->n - i - 1) * sizeof ctx->country[0]);
            memmove(&ctx->weight[i], &ctx->weight[i + 1], (ctx->n - i - 1) * sizeof ctx->weight[0]);
            ctx->n--;
            break;
        }
    }
    if (ctx->n == 16) { /* drop the oldest */
        memmove(&ctx->country[0], &ctx->country[1], 15 * sizeof ctx->country[0]);
        memmove(&ctx->weight[0], &ctx->weight[1], 15 * sizeof ctx->weight[0]);
        ctx->n--;
    }
    if (w > 1e6f) w = 1e6f;
    ctx->country[ctx->n][0] = a;
    ctx->country[ctx->n][1] = b;
    ctx->country[ctx->n][2] = 0;
    ctx->weight[ctx->n] = w;
    ctx->n++;
}
