/* mkgaz -- builds the gazetteer file that src/lex/gazetteer.c mmap()s.
 *
 *   usage: tally-mkgaz [--cities cities500.txt] --places DIR -o OUT
 *
 * Inputs: GeoNames cities500.txt (optional: when it is missing a warning is
 * printed and the file is built from DIR alone) and DIR/countries.tsv,
 * DIR/admin1.tsv, DIR/aliases.tsv, DIR/stopnames.txt (see their header
 * comments and docs/gazetteer.md). Output: one little-endian file, laid out
 * as described in docs/gazetteer.md and in the comment below. Keys are made
 * with tly_fold(), the same function the runtime uses.
 *
 * File layout (all integers little-endian, every section 8-byte aligned):
 *   header (160 bytes)
 *     0  char[8] magic "TLYGAZ1\n"     8  u32 version (2)   12 u32 header size (160)
 *     16 u64 file size
 *     24 u32 nplaces   28 u32 place record size (28)
 *     32 u32 nkeys     36 u32 npost    40 u32 ndkeys   44 u32 ndpost
 *     48 u32 string pool size          52 u32 key pool size
 *     56 u32 country slots (1352)      60 u32 demonym hash slots
 *     64 u64 offset of places   72 keys   80 postings   88 demonym keys
 *     96 demonym postings      104 country index  112 string pool  120 key pool
 *     128 name hash  136 prefix hash  144 demonym hash (u64 offsets)
 *     152 u32 name hash slots  156 u32 prefix hash slots
 *   places: nplaces records of 28 bytes
 *     u32 id, u32 name (string pool offset), u32 admin1 (string pool offset),
 *     f32 lat, f32 lon, u32 population, char cc[2], u8 kind, u8 flags
 *   keys: nkeys + 1 entries of 12 bytes, sorted by key bytes (memcmp order)
 *     u32 key pool offset, u32 length (bits 0-23) | key flags (bits 24-31),
 *     u32 first posting; the last entry is a sentinel whose first posting is
 *     npost, so entry i owns postings [first(i), first(i+1)).
 *   postings: npost u32 place indexes, best first within a key (countries,
 *     admin1, regions and districts, cities; then by population)
 *   demonym keys / postings: the same, for demonyms -> countries
 *   country index: 676 u32, slot (c0-'A')*26 + (c1-'A') = place index + 1, or 0;
 *     then 676 more: the country's capital (GeoNames PPLC) the same way
 *   string pool: NUL-terminated strings, offset 0 is ""; its last byte is NUL
 *   key pool: folded keys, not terminated
 *   name hash / demonym hash: slots (a power of two) of 8 bytes, open
 *     addressing with linear probing: u32 tly_gaz_hash(key), u32 key index + 1
 *     (0: empty). Load at most one half.
 *   prefix hash: the same, keyed by every proper prefix of a name that a
 *     space or '-' follows ("nagorno" of "nagorno-karabakh"); the index is of
 *     one key that has the prefix.
 */
#include "lex/gazetteer.h"
#include "text/fold.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GAZ_MAGIC "TLYGAZ1\n"
#define GAZ_VERSION 2u
#define GAZ_HEADER 160u
#define GAZ_REC 28u

enum { K_CITY = 0, K_DISTRICT, K_ADMIN1, K_COUNTRY, K_REGION };
#define F_CONFLICT 1u
#define F_COMMONWORD 2u

/* ------------------------------------------------------------ utilities */
static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tally-mkgaz: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory");
    return q;
}

#define GROW(arr, n, cap)                                                    \
    do {                                                                     \
        if ((n) >= (cap)) {                                                  \
            (cap) = (cap) ? (cap) * 2 : 1024;                                \
            (arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                 \
        }                                                                    \
    } while (0)

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n + 1 >= cap) { cap *= 2; buf = xrealloc(buf, cap); }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    if (ferror(f)) die("%s: read error", path);
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Splits s at c in place; returns the number of fields (up to max). */
static int split(char *s, char c, char **out, int max) {
    int n = 0;
    out[n++] = s;
    for (char *p = s; *p; p++) {
        if (*p == c) {
            *p = 0;
            if (n < max) out[n++] = p + 1;
        }
    }
    return n;
}

/* ------------------------------------------------------------ string pool */
static char *pool;
static size_t pool_n, pool_cap;
static uint32_t *pool_ht;
static size_t pool_ht_cap, pool_ht_n;

static uint32_t hash_bytes(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}

static void pool_rehash(void) {
    size_t ncap = pool_ht_cap ? pool_ht_cap * 2 : 1 << 16;
    uint32_t *nt = calloc(ncap, sizeof(uint32_t));
    if (!nt) die("out of memory");
    for (size_t i = 0; i < pool_ht_cap; i++) {
        uint32_t off = pool_ht[i];
        if (!off) continue;
        size_t j = hash_bytes(pool + off, strlen(pool + off)) & (ncap - 1);
        while (nt[j]) j = (j + 1) & (ncap - 1);
        nt[j] = off;
    }
    free(pool_ht);
    pool_ht = nt;
    pool_ht_cap = ncap;
}

static uint32_t pool_add(const char *s, size_t n) {
    if (!pool) {
        pool_cap = 1 << 20;
        pool = xrealloc(NULL, pool_cap);
        pool[0] = 0;
        pool_n = 1;
    }
    if (n == 0) return 0;
    if ((pool_ht_n + 1) * 2 > pool_ht_cap) pool_rehash();
    size_t j = hash_bytes(s, n) & (pool_ht_cap - 1);
    while (pool_ht[j]) {
        const char *t = pool + pool_ht[j];
        if (strncmp(t, s, n) == 0 && t[n] == 0) return pool_ht[j];
        j = (j + 1) & (pool_ht_cap - 1);
    }
    if (pool_n + n + 1 > UINT32_MAX) die("string pool too large");
    while (pool_n + n + 1 > pool_cap) { pool_cap *= 2; pool = xrealloc(pool, pool_cap); }
    uint32_t off = (uint32_t)pool_n;
    memcpy(pool + pool_n, s, n);
    pool[pool_n + n] = 0;
    pool_n += n + 1;
    pool_ht[j] = off;
    pool_ht_n++;
    return off;
}

/* ------------------------------------------------------------ places */
typedef struct place {
    uint32_t id;
    uint32_t name, admin1; /* string pool offsets */
    float lat, lon;
    uint32_t pop;
    char cc[2];
    uint8_t kind, flags;
} place;

static place *places;
static size_t nplaces, places_cap;
static uint32_t next_project_id = 0xFFFFFFFFu;

static size_t add_place(uint32_t id, const char *name, const char *cc, int kind, double lat,
                        double lon, uint32_t pop, uint32_t admin1) {
    GROW(places, nplaces, places_cap);
    place *p = &places[nplaces];
    memset(p, 0, sizeof *p);
    p->id = id ? id : next_project_id--;
    p->name = pool_add(name, strlen(name));
    p->admin1 = admin1;
    p->lat = (float)lat;
    p->lon = (float)lon;
    p->pop = pop;
    if (cc && strlen(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z') {
        p->cc[0] = cc[0];
        p->cc[1] = cc[1];
    }
    p->kind = (uint8_t)kind;
    return nplaces++;
}

static int kind_rank(int kind) {
    switch (kind) {
    case K_COUNTRY: return 0;
    case K_ADMIN1: return 1;
    case K_REGION: return 2;
    case K_DISTRICT: return 2;
    default: return 3;
    }
}

static int parse_kind(const char *s) {
    if (!strcmp(s, "CITY")) return K_CITY;
    if (!strcmp(s, "DISTRICT")) return K_DISTRICT;
    if (!strcmp(s, "ADMIN1")) return K_ADMIN1;
    if (!strcmp(s, "COUNTRY")) return K_COUNTRY;
    if (!strcmp(s, "REGION")) return K_REGION;
    return -1;
}

/* ------------------------------------------------------------ keys and postings */
typedef struct posting {
    uint32_t koff, klen; /* into keybuf */
    uint32_t place;
} posting;

typedef struct postlist {
    posting *v;
    size_t n, cap;
} postlist;

static char *keybuf;
static size_t keybuf_n, keybuf_cap;
static postlist names_pl, dem_pl;

/* Folds name into out (cap bytes): collapses runs of spaces, trims. Returns
 * the length, or 0 when the key is not usable: longer than cap, or holding
 * anything but ASCII letters, spaces, hyphens, apostrophes and periods. */
static size_t make_key(const char *name, size_t n, char *out, size_t cap) {
    char tmp[1024];
    if (n > 300) return 0;
    size_t fl = tly_fold(name, n, tmp, sizeof tmp);
    if (fl > sizeof tmp) return 0;
    size_t o = 0;
    int space = 1, letters = 0;
    for (size_t i = 0; i < fl; i++) {
        char c = tmp[i];
        if (c == ' ' || c == '\t') {
            if (!space && o < cap) out[o++] = ' ';
            space = 1;
            continue;
        }
        if (c >= 'a' && c <= 'z') letters++;
        else if (c != '-' && c != '\'' && c != '.') return 0;
        if (o >= cap) return 0;
        out[o++] = c;
        space = 0;
    }
    while (o > 0 && out[o - 1] == ' ') o--;
    return letters ? o : 0;
}

static int is_airport_code(const char *s, size_t n) {
    if (n < 3 || n > 4) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

static void push_key(postlist *pl, const char *key, size_t klen, size_t pidx) {
    while (keybuf_n + klen > keybuf_cap) {
        keybuf_cap = keybuf_cap ? keybuf_cap * 2 : 1 << 22;
        keybuf = xrealloc(keybuf, keybuf_cap);
    }
    if (keybuf_n + klen > UINT32_MAX) die("too many keys");
    memcpy(keybuf + keybuf_n, key, klen);
    GROW(pl->v, pl->n, pl->cap);
    pl->v[pl->n].koff = (uint32_t)keybuf_n;
    pl->v[pl->n].klen = (uint32_t)klen;
    pl->v[pl->n].place = (uint32_t)pidx;
    pl->n++;
    keybuf_n += klen;
}

/* minlen: 3 for GeoNames names, 2 for the project's own files. */
static void add_name(postlist *pl, size_t pidx, const char *name, size_t n, size_t minlen,
                     int geonames_alt) {
    char key[512];
    if (geonames_alt && is_airport_code(name, n)) return;
    size_t kl = make_key(name, n, key, sizeof key);
    if (kl < minlen) return;
    push_key(pl, key, kl, pidx);
}

static void add_names_list(postlist *pl, size_t pidx, char *list, char sep, size_t minlen) {
    char *p = list;
    while (p && *p) {
        char *e = strchr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        add_name(pl, pidx, p, n, minlen, 0);
        p = e ? e + 1 : NULL;
    }
}

/* Demonyms: the word and a plural in -s unless it ends in s, sh, ch, x, z or
 * -ese ("Azerbaijani" -> "azerbaijanis"; "Swiss", "French", "Chinese" stay). */
static void add_demonym(size_t pidx, const char *d, size_t n) {
    char key[512];
    size_t kl = make_key(d, n, key, sizeof key - 1);
    if (kl < 2) return;
    push_key(&dem_pl, key, kl, pidx);
    char last = key[kl - 1];
    int noplural = last == 's' || last == 'x' || last == 'z' ||
                   (kl >= 2 && key[kl - 1] == 'h' && (key[kl - 2] == 's' || key[kl - 2] == 'c')) ||
                   (kl >= 3 && !memcmp(key + kl - 3, "ese", 3));
    if (!noplural) {
        key[kl] = 's';
        push_key(&dem_pl, key, kl + 1, pidx);
    }
}

/* ------------------------------------------------------------ admin1 codes */
typedef struct a1map {
    char cc[3];
    char code[24];
    uint32_t name; /* string pool offset */
} a1map;
static a1map *a1;
static size_t na1, a1_cap;

static int a1_cmp(const void *x, const void *y) {
    const a1map *a = x, *b = y;
    int c = strcmp(a->cc, b->cc);
    return c ? c : strcmp(a->code, b->code);
}

static uint32_t a1_lookup(const char *cc, const char *code) {
    a1map k;
    memset(&k, 0, sizeof k);
    if (strlen(cc) != 2 || strlen(code) >= sizeof k.code) return 0;
    memcpy(k.cc, cc, 3);
    memcpy(k.code, code, strlen(code) + 1);
    a1map *r = na1 ? bsearch(&k, a1, na1, sizeof *a1, a1_cmp) : NULL;
    return r ? r->name : 0;
}

/* ------------------------------------------------------------ id index */
typedef struct idpair {
    uint32_t id, idx;
} idpair;
static idpair *ids;
static size_t nids;

static int id_cmp(const void *x, const void *y) {
    const idpair *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void build_id_index(void) {
    free(ids);
    ids = xrealloc(NULL, (nplaces + 1) * sizeof *ids);
    for (size_t i = 0; i < nplaces; i++) { ids[i].id = places[i].id; ids[i].idx = (uint32_t)i; }
    nids = nplaces;
    qsort(ids, nids, sizeof *ids, id_cmp);
}

static long find_id(uint32_t id) {
    idpair k = {id, 0};
    idpair *r = nids ? bsearch(&k, ids, nids, sizeof *ids, id_cmp) : NULL;
    return r ? (long)r->idx : -1;
}

/* ------------------------------------------------------------ input files */
typedef void (*line_fn)(char **f, int nf, const char *path, int lineno);

static int each_line(const char *path, line_fn fn, int required) {
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) {
        if (required) die("%s: %s", path, strerror(errno));
        return 0;
    }
    int lineno = 0;
    char *p = buf;
    while (p < buf + len) {
        char *e = memchr(p, '\n', (size_t)(buf + len - p));
        if (!e) e = buf + len;
        *e = 0;
        lineno++;
        if (e > p && e[-1] == '\r') e[-1] = 0;
        if (*p && *p != '#') {
            char *f[16];
            int nf = split(p, '\t', f, 16);
            fn(f, nf, path, lineno);
        }
        p = e + 1;
    }
    free(buf);
    return 1;
}

static double num(const char *s, const char *path, int lineno) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v)) die("%s:%d: bad number '%s'", path, lineno, s);
    return v;
}

static uint32_t pop_num(const char *s) {
    unsigned long long v = strtoull(s, NULL, 10);
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void country_line(char **f, int nf, const char *path, int lineno) {
    if (nf < 7) die("%s:%d: expected 7 columns, got %d", path, lineno, nf);
    if (strlen(f[0]) != 2) die("%s:%d: bad ISO code '%s'", path, lineno, f[0]);
    size_t i = add_place(0, f[1], f[0], K_COUNTRY, num(f[4], path, lineno),
                         num(f[5], path, lineno), pop_num(f[6]), 0);
    add_name(&names_pl, i, f[1], strlen(f[1]), 2, 0);
    add_names_list(&names_pl, i, f[2], '|', 2);
    for (char *p = f[3]; p && *p;) {
        char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        add_demonym(i, p, n);
        p = e ? e + 1 : NULL;
    }
}

static void admin1_line(char **f, int nf, const char *path, int lineno) {
    if (nf < 7) die("%s:%d: expected 7 columns, got %d", path, lineno, nf);
    if (strcmp(f[1], "-") != 0) {
        GROW(a1, na1, a1_cap);
        memset(&a1[na1], 0, sizeof *a1);
        if (strlen(f[0]) != 2 || strlen(f[1]) >= sizeof a1->code)
            die("%s:%d: bad country or admin1 code", path, lineno);
        memcpy(a1[na1].cc, f[0], 3);
        memcpy(a1[na1].code, f[1], strlen(f[1]) + 1);
        a1[na1].name = pool_add(f[3], strlen(f[3]));
        na1++;
    }
    if (!strcmp(f[2], "NAME")) return;
    int kind = parse_kind(f[2]);
    if (kind < 0) die("%s:%d: bad kind '%s'", path, lineno, f[2]);
    size_t i = add_place(0, f[3], f[0], kind, num(f[5], path, lineno), num(f[6], path, lineno), 0, 0);
    add_name(&names_pl, i, f[3], strlen(f[3]), 2, 0);
    add_names_list(&names_pl, i, f[4], '|', 2);
}

/* GeoNames alternate names of small places are mostly old or foreign-language
 * names, and many collide with English words ("Taliban" is a name of a Turkish
 * village): they are kept only for towns of ALT_MIN_POP inhabitants or more,
 * for administrative seats, and for every place in a country of the list
 * below, where reporting on conflicts uses local and historical names. */
#define ALT_MIN_POP 5000u
static const char alt_countries[] =
    "AZ AM GE UA SY IQ YE PS IL LB AF SD SS ET ER SO LY MM NG ML BF NE TD CD CF ";

static int keep_alternates(const char *cc, const char *fcode, uint32_t pop) {
    if (pop >= ALT_MIN_POP) return 1;
    if (!strncmp(fcode, "PPLA", 4) || !strcmp(fcode, "PPLC")) return 1;
    if (strlen(cc) != 2) return 0;
    for (const char *p = alt_countries; *p; p += 3)
        if (p[0] == cc[0] && p[1] == cc[1]) return 1;
    return 0;
}

static size_t ncities_rows;
static uint32_t capital[676]; /* country slot -> place index + 1 of its capital (GeoNames PPLC) */
static void cities_line(char **f, int nf, const char *path, int lineno) {
    if (nf < 15) die("%s:%d: expected 19 columns, got %d", path, lineno, nf);
    char *end;
    unsigned long id = strtoul(f[0], &end, 10);
    if (end == f[0] || id == 0 || id >= 0xF0000000ul) die("%s:%d: bad geonameid", path, lineno);
    size_t i = add_place((uint32_t)id, f[1], f[8], K_CITY, num(f[4], path, lineno),
                         num(f[5], path, lineno), pop_num(f[14]), a1_lookup(f[8], f[10]));
    add_name(&names_pl, i, f[1], strlen(f[1]), 3, 0);
    add_name(&names_pl, i, f[2], strlen(f[2]), 3, 0);
    uint32_t pop = pop_num(f[14]);
    if (!strcmp(f[7], "PPLC") && f[8][0] >= 'A' && f[8][0] <= 'Z' && f[8][1] >= 'A' && f[8][1] <= 'Z' && !f[8][2]) {
        /* the seat of government: "the Lebanese capital" (one a country; the most populous) */
        unsigned s = (unsigned)(f[8][0] - 'A') * 26u + (unsigned)(f[8][1] - 'A');
        if (!capital[s] || pop > places[capital[s] - 1].pop) capital[s] = (uint32_t)i + 1;
    }
    for (char *p = keep_alternates(f[8], f[7], pop) ? f[3] : NULL; p && *p;) {
        char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        add_name(&names_pl, i, p, n, 3, 1);
        p = e ? e + 1 : NULL;
    }
    ncities_rows++;
}

static void alias_line(char **f, int nf, const char *path, int lineno) {
    if (nf < 7) die("%s:%d: expected at least 7 columns, got %d", path, lineno, nf);
    const char *ref = f[0], *canon = f[3];
    int kind = parse_kind(f[1]);
    if (kind < 0) die("%s:%d: bad kind '%s'", path, lineno, f[1]);
    const char *cc = f[2];
    const char *admin1 = nf > 7 ? f[7] : "";
    uint32_t pop = nf > 8 ? pop_num(f[8]) : 0;
    long idx = -1;
    uint32_t id = 0;
    if (ref[0] == '@') {
        /* "@CC:Name": a place from countries.tsv or admin1.tsv */
        if (strlen(ref) < 5 || ref[3] != ':') die("%s:%d: bad reference '%s'", path, lineno, ref);
        for (size_t i = 0; i < nplaces && idx < 0; i++)
            if (places[i].cc[0] == ref[1] && places[i].cc[1] == ref[2] &&
                places[i].id >= 0xF0000000u && !strcmp(pool + places[i].name, ref + 4))
                idx = (long)i;
        if (idx < 0) die("%s:%d: no place '%s' in countries.tsv or admin1.tsv", path, lineno, ref);
    } else if (strcmp(ref, "-") != 0) {
        char *end;
        unsigned long v = strtoul(ref, &end, 10);
        if (*end || v == 0 || v >= 0xF0000000ul) die("%s:%d: bad geonameid '%s'", path, lineno, ref);
        id = (uint32_t)v;
        idx = find_id(id);
    }
    if (idx < 0) {
        char first[512];
        if (!strcmp(canon, "-")) {
            /* no canonical name: the first of the names */
            size_t n = strcspn(f[4], "|");
            if (n == 0 || n >= sizeof first)
                die("%s:%d: a new place needs a canonical name", path, lineno);
            memcpy(first, f[4], n);
            first[n] = 0;
            canon = first;
        }
        uint32_t a1off = admin1[0] ? pool_add(admin1, strlen(admin1)) : 0;
        idx = (long)add_place(id, canon, cc, kind, num(f[5], path, lineno), num(f[6], path, lineno),
                              pop, a1off);
        if (id) {
            /* a GeoNames place that the cities file did not provide: keep
             * the id index current for later lines */
            build_id_index();
        }
    } else {
        place *p = &places[idx];
        if (strcmp(canon, "-") != 0) p->name = pool_add(canon, strlen(canon));
        if (admin1[0] && !p->admin1) p->admin1 = pool_add(admin1, strlen(admin1));
    }
    places[idx].flags |= F_CONFLICT;
    add_name(&names_pl, (size_t)idx, pool + places[idx].name, strlen(pool + places[idx].name), 2, 0);
    add_names_list(&names_pl, (size_t)idx, f[4], '|', 2);
}

static char **stop;
static size_t nstop, stop_cap;
static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static void stop_line(char **f, int nf, const char *path, int lineno) {
    (void)nf, (void)path, (void)lineno;
    char key[512];
    size_t kl = make_key(f[0], strlen(f[0]), key, sizeof key - 1);
    if (!kl) return;
    key[kl] = 0;
    GROW(stop, nstop, stop_cap);
    stop[nstop] = xrealloc(NULL, kl + 1);
    memcpy(stop[nstop++], key, kl + 1);
}
static int is_stop(const char *k, size_t n) {
    char buf[512];
    if (n >= sizeof buf || !nstop) return 0;
    memcpy(buf, k, n);
    buf[n] = 0;
    const char *p = buf;
    return bsearch(&p, stop, nstop, sizeof *stop, str_cmp) != NULL;
}

/* ------------------------------------------------------------ sorting and output */
static int post_cmp(const void *x, const void *y) {
    const posting *a = x, *b = y;
    size_t m = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(keybuf + a->koff, keybuf + b->koff, m);
    if (c) return c;
    if (a->klen != b->klen) return a->klen < b->klen ? -1 : 1;
    const place *p = &places[a->place], *q = &places[b->place];
    int ra = kind_rank(p->kind), rb = kind_rank(q->kind);
    if (ra != rb) return ra < rb ? -1 : 1;
    if (p->pop != q->pop) return p->pop > q->pop ? -1 : 1;
    if ((p->flags & F_CONFLICT) != (q->flags & F_CONFLICT)) return (p->flags & F_CONFLICT) ? -1 : 1;
    if (p->id != q->id) return p->id < q->id ? -1 : 1;
    return 0;
}

typedef struct outbuf {
    unsigned char *v;
    size_t n, cap;
} outbuf;

static void ob_put(outbuf *b, const void *p, size_t n) {
    while (b->n + n > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1 << 20;
        b->v = xrealloc(b->v, b->cap);
    }
    memcpy(b->v + b->n, p, n);
    b->n += n;
}
static void ob_u32(outbuf *b, uint32_t v) {
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    ob_put(b, x, 4);
}
static void ob_u64(outbuf *b, uint64_t v) {
    ob_u32(b, (uint32_t)v);
    ob_u32(b, (uint32_t)(v >> 32));
}
static void ob_f32(outbuf *b, float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    ob_u32(b, v);
}
static void ob_align(outbuf *b) {
    static const unsigned char z[8] = {0};
    if (b->n % 8) ob_put(b, z, 8 - b->n % 8);
}

/* Sorts and deduplicates a posting list and appends its key table and
 * postings into kt / pt, keys into kp. Returns the number of distinct keys. */
static size_t emit_index(postlist *pl, outbuf *kt, outbuf *pt, outbuf *kp, int with_stop,
                         size_t *npost_out) {
    qsort(pl->v, pl->n, sizeof *pl->v, post_cmp);
    size_t nkeys = 0, npost = 0;
    for (size_t i = 0; i < pl->n;) {
        size_t j = i;
        const posting *a = &pl->v[i];
        uint32_t koff = (uint32_t)kp->n;
        if (a->klen > 0xFFFFFF) die("key too long");
        ob_put(kp, keybuf + a->koff, a->klen);
        uint32_t flags = with_stop && is_stop(keybuf + a->koff, a->klen) ? F_COMMONWORD : 0;
        ob_u32(kt, koff);
        ob_u32(kt, a->klen | (flags << 24));
        ob_u32(kt, (uint32_t)npost);
        uint32_t last = UINT32_MAX;
        while (j < pl->n && pl->v[j].klen == a->klen &&
               !memcmp(keybuf + pl->v[j].koff, keybuf + a->koff, a->klen)) {
            if (pl->v[j].place != last) {
                ob_u32(pt, pl->v[j].place);
                last = pl->v[j].place;
                npost++;
            }
            j++;
        }
        nkeys++;
        i = j;
    }
    ob_u32(kt, (uint32_t)kp->n); /* sentinel */
    ob_u32(kt, 0);
    ob_u32(kt, (uint32_t)npost);
    *npost_out = npost;
    return nkeys;
}

/* The key i of a key table written by emit_index: its bytes in kp. */
static const unsigned char *kt_key(const outbuf *kt, const outbuf *kp, size_t i, uint32_t *len) {
    const unsigned char *e = kt->v + i * 12;
    uint32_t off = (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 | (uint32_t)e[3] << 24;
    uint32_t lf = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 | (uint32_t)e[7] << 24;
    *len = lf & 0xFFFFFFu;
    return kp->v + off;
}

static uint32_t slot_count(size_t n) {
    uint32_t ns = 8;
    while (ns < n * 2) ns <<= 1;
    return ns;
}

/* A hash of keys -> key index (prefix = 0), or of the proper prefixes of keys
 * that a space or '-' follows -> the index of one such key (prefix = 1). */
static uint32_t emit_hash(const outbuf *kt, const outbuf *kp, size_t nkeys, int prefix, outbuf *out) {
    size_t n = 0;
    for (size_t i = 0; i < nkeys; i++) {
        uint32_t len;
        const unsigned char *k = kt_key(kt, kp, i, &len);
        if (!prefix) n++;
        else
            for (uint32_t p = 1; p < len; p++) n += k[p] == ' ' || k[p] == '-';
    }
    uint32_t ns = slot_count(n);
    uint32_t *sl = calloc((size_t)ns * 2, sizeof *sl);
    if (!sl) die("out of memory");
    for (size_t i = 0; i < nkeys; i++) {
        uint32_t len;
        const unsigned char *k = kt_key(kt, kp, i, &len);
        for (uint32_t p = prefix ? 1 : len; p <= len; p++) {
            if (prefix && (p == len || (k[p] != ' ' && k[p] != '-'))) continue;
            uint32_t h = tly_gaz_hash((const char *)k, p);
            uint32_t s = h & (ns - 1);
            int dup = 0;
            while (sl[2 * s + 1]) {
                if (sl[2 * s] == h) {
                    uint32_t ol;
                    const unsigned char *o = kt_key(kt, kp, sl[2 * s + 1] - 1, &ol);
                    if (ol >= p && !memcmp(o, k, p) && (ol == p || o[p] == ' ' || o[p] == '-')) { dup = 1; break; }
                }
                s = (s + 1) & (ns - 1);
            }
            if (dup) continue;
            sl[2 * s] = h;
            sl[2 * s + 1] = (uint32_t)i + 1;
        }
    }
    for (size_t i = 0; i < (size_t)ns * 2; i++) ob_u32(out, sl[i]);
    free(sl);
    return ns;
}

static void usage(void) {
    fprintf(stderr, "usage: tally-mkgaz [--cities cities500.txt] --places DIR -o OUT\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *cities = NULL, *dir = NULL, *outpath = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cities") && i + 1 < argc) cities = argv[++i];
        else if (!strcmp(argv[i], "--places") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "-o") && i + 1 < argc) outpath = argv[++i];
        else usage();
    }
    if (!dir || !outpath) usage();
    clock_t t0 = clock();
    pool_add("", 0);

    char path[4096];
    snprintf(path, sizeof path, "%s/stopnames.txt", dir);
    each_line(path, stop_line, 0);
    qsort(stop, nstop, sizeof *stop, str_cmp);

    snprintf(path, sizeof path, "%s/countries.tsv", dir);
    each_line(path, country_line, 1);
    snprintf(path, sizeof path, "%s/admin1.tsv", dir);
    each_line(path, admin1_line, 1);
    qsort(a1, na1, sizeof *a1, a1_cmp);
    for (size_t i = 1; i < na1; i++)
        if (!a1_cmp(&a1[i - 1], &a1[i]))
            die("admin1.tsv: admin1 code %s.%s listed twice", a1[i].cc, a1[i].code);

    if (cities && each_line(cities, cities_line, 0)) {
        /* read */
    } else {
        fprintf(stderr,
                "tally-mkgaz: warning: %s not found; the gazetteer will hold only the places "
                "of %s (countries, subdivisions, aliases)\n",
                cities ? cities : "(no --cities given)", dir);
    }
    build_id_index();
    snprintf(path, sizeof path, "%s/aliases.tsv", dir);
    each_line(path, alias_line, 1);

    /* a place whose canonical name is a common word */
    for (size_t i = 0; i < nplaces; i++) {
        char key[512];
        const char *nm = pool + places[i].name;
        size_t kl = make_key(nm, strlen(nm), key, sizeof key);
        if (kl && is_stop(key, kl)) places[i].flags |= F_COMMONWORD;
    }
    if (nplaces >= 0xF0000000u) die("too many places");

    /* sections */
    outbuf pl = {0}, kt = {0}, pt = {0}, dkt = {0}, dpt = {0}, kp = {0}, cc = {0};
    for (size_t i = 0; i < nplaces; i++) {
        const place *p = &places[i];
        ob_u32(&pl, p->id);
        ob_u32(&pl, p->name);
        ob_u32(&pl, p->admin1);
        ob_f32(&pl, p->lat);
        ob_f32(&pl, p->lon);
        ob_u32(&pl, p->pop);
        ob_put(&pl, p->cc, 2);
        ob_put(&pl, &p->kind, 1);
        ob_put(&pl, &p->flags, 1);
    }
    size_t npost, ndpost;
    size_t nkeys = emit_index(&names_pl, &kt, &pt, &kp, 1, &npost);
    size_t ndkeys = emit_index(&dem_pl, &dkt, &dpt, &kp, 0, &ndpost);
    outbuf nh = {0}, ph = {0}, dh = {0};
    uint32_t nh_slots = emit_hash(&kt, &kp, nkeys, 0, &nh);
    uint32_t ph_slots = emit_hash(&kt, &kp, nkeys, 1, &ph);
    uint32_t dh_slots = emit_hash(&dkt, &kp, ndkeys, 0, &dh);
    uint32_t slots[676] = {0};
    for (size_t i = 0; i < nplaces; i++) {
        const place *p = &places[i];
        if (p->kind != K_COUNTRY || !p->cc[0]) continue;
        unsigned s = (unsigned)(p->cc[0] - 'A') * 26u + (unsigned)(p->cc[1] - 'A');
        if (!slots[s]) slots[s] = (uint32_t)i + 1;
    }
    for (int i = 0; i < 676; i++) ob_u32(&cc, slots[i]);
    for (int i = 0; i < 676; i++) ob_u32(&cc, capital[i]);
    if (kp.n > UINT32_MAX || pool_n > UINT32_MAX) die("pools too large");

    outbuf body = {0};
    uint64_t off[11];
    outbuf *secs[11] = {&pl, &kt, &pt, &dkt, &dpt, &cc, NULL, &kp, &nh, &ph, &dh};
    unsigned char zero_header[GAZ_HEADER] = {0};
    ob_put(&body, zero_header, GAZ_HEADER);
    for (int s = 0; s < 11; s++) {
        ob_align(&body);
        off[s] = body.n;
        if (s == 6) ob_put(&body, pool, pool_n);
        else ob_put(&body, secs[s]->v ? secs[s]->v : (unsigned char *)"", secs[s]->n);
    }
    ob_align(&body);
    outbuf h = {0};
    ob_put(&h, GAZ_MAGIC, 8);
    ob_u32(&h, GAZ_VERSION);
    ob_u32(&h, GAZ_HEADER);
    ob_u64(&h, body.n);
    ob_u32(&h, (uint32_t)nplaces);
    ob_u32(&h, GAZ_REC);
    ob_u32(&h, (uint32_t)nkeys);
    ob_u32(&h, (uint32_t)npost);
    ob_u32(&h, (uint32_t)ndkeys);
    ob_u32(&h, (uint32_t)ndpost);
    ob_u32(&h, (uint32_t)pool_n);
    ob_u32(&h, (uint32_t)kp.n);
    ob_u32(&h, 1352);
    ob_u32(&h, dh_slots);
    for (int s = 0; s < 11; s++) ob_u64(&h, off[s]);
    ob_u32(&h, nh_slots);
    ob_u32(&h, ph_slots);
    if (h.n != GAZ_HEADER) die("internal error: header is %zu bytes", h.n);
    memcpy(body.v, h.v, GAZ_HEADER);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", outpath);
    FILE *out = fopen(tmp, "wb");
    if (!out) die("%s: %s", tmp, strerror(errno));
    if (fwrite(body.v, 1, body.n, out) != body.n || fclose(out) != 0)
        die("%s: write error", tmp);
    if (rename(tmp, outpath) != 0) die("%s: %s", outpath, strerror(errno));
    fprintf(stderr,
            "tally-mkgaz: %zu places (%zu from GeoNames), %zu keys, %zu postings, %zu demonyms, "
            "%zu bytes, %.1f s\n",
            nplaces, ncities_rows, nkeys, npost, ndkeys, body.n,
            (double)(clock() - t0) / CLOCKS_PER_SEC);
    return 0;
}
