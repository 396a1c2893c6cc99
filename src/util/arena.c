#include "arena.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct tly_arena_block {
    tly_arena_block *next;
    size_t size;
    /* payload follows, 16-byte aligned */
};

#define BLOCK_HDR ((sizeof(tly_arena_block) + 15u) & ~(size_t)15u)
#define MIN_BLOCK ((size_t)64 * 1024)

static void *d_malloc(void *ctx, size_t size) { (void)ctx; return malloc(size); }
static void *d_realloc(void *ctx, void *p, size_t old, size_t size) { (void)ctx; (void)old; return realloc(p, size); }
static void d_free(void *ctx, void *p) { (void)ctx; free(p); }
static const tally_alc default_alc = {d_malloc, d_realloc, d_free, NULL};

const tally_alc *tly_default_alc(void) { return &default_alc; }

void tly_arena_init(tly_arena *a, const tally_alc *alc) {
    memset(a, 0, sizeof *a);
    a->alc = alc ? alc : &default_alc;
}

void tly_arena_free(tly_arena *a) {
    tly_arena_block *b = a->head;
    while (b) {
        tly_arena_block *next = b->next;
        a->alc->free(a->alc->ctx, b);
        b = next;
    }
    a->head = NULL;
    a->ptr = a->end = NULL;
    a->total = 0;
}

void *tly_arena_alloc(tly_arena *a, size_t size) {
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0) size = 16;
    if ((size_t)(a->end - a->ptr) < size || !a->ptr) {
        size_t want = size + BLOCK_HDR;
        size_t grow = a->total / 2;          /* blocks grow with the arena */
        if (grow < MIN_BLOCK) grow = MIN_BLOCK;
        if (grow > ((size_t)8 << 20)) grow = (size_t)8 << 20;
        if (want < grow) want = grow;
        tly_arena_block *b = a->alc->malloc(a->alc->ctx, want);
        if (!b) { a->failed = 1; return NULL; }
        b->next = a->head;
        b->size = want;
        a->head = b;
        a->total += want;
        a->ptr = (char *)b + BLOCK_HDR;
        a->end = (char *)b + want;
    }
    void *p = a->ptr;
    a->ptr += size;
    return p;
}

void *tly_arena_calloc(tly_arena *a, size_t n, size_t size) {
    if (size && n > ((size_t)-1) / size) { a->failed = 1; return NULL; }
    void *p = tly_arena_alloc(a, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

char *tly_arena_strndup(tly_arena *a, const char *s, size_t len) {
    char *p = tly_arena_alloc(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *tly_arena_printf(tly_arena *a, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof small) return tly_arena_strndup(a, small, (size_t)n);
    char *p = tly_arena_alloc(a, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int tly_heap_grow(const tally_alc *alc, void **v, size_t *cap, size_t elem, size_t need, size_t first) {
    if (!alc) alc = tly_default_alc();
    size_t nc = *cap ? *cap : (first ? first : 16);
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem) return 0;
        nc *= 2;
    }
    if (nc > SIZE_MAX / elem) return 0;
    void *nv = *v ? alc->realloc(alc->ctx, *v, *cap * elem, nc * elem) : alc->malloc(alc->ctx, nc * elem);
    if (!nv) return 0;
    *v = nv;
    *cap = nc;
    return 1;
}

int tly_vec_grow_(tly_arena *a, void **v, size_t *cap, size_t elem, size_t need) {
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *nv = tly_arena_alloc(a, nc * elem);
    if (!nv) return 0;
    if (*v && *cap) memcpy(nv, *v, *cap * elem);
    *v = nv;
    *cap = nc;
    return 1;
}
