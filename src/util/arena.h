/* arena.h -- bump allocator that owns everything one document produces.
 * Every span, token, mention and claim of a document is allocated here and
 * released by one tly_arena_free(). Not thread-safe: one arena, one thread. */
#ifndef TLY_ARENA_H
#define TLY_ARENA_H
#include "tally.h"
#include <stddef.h>
#include <string.h>

typedef struct tly_arena_block tly_arena_block;
typedef struct tly_arena {
    const tally_alc *alc;
    tly_arena_block *head;
    char *ptr, *end;      /* free space of the head block */
    size_t total;         /* bytes obtained from the allocator */
    int failed;           /* set once an allocation failed */
} tly_arena;

/* The default allocator (malloc/realloc/free). */
const tally_alc *tly_default_alc(void);

void tly_arena_init(tly_arena *a, const tally_alc *alc);
void tly_arena_free(tly_arena *a);
/* 16-byte aligned, uninitialized; NULL (and a->failed) when out of memory. */
void *tly_arena_alloc(tly_arena *a, size_t size);
void *tly_arena_calloc(tly_arena *a, size_t n, size_t size);
char *tly_arena_strndup(tly_arena *a, const char *s, size_t len);
char *tly_arena_printf(tly_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable array kept in an arena (old storage is abandoned on growth). */
#define TLY_VEC(T) struct { T *v; size_t n, cap; }
int tly_vec_grow_(tly_arena *a, void **v, size_t *cap, size_t elem, size_t need);
#define tly_vec_push(a, vec, item)                                                   \
    (((vec)->n < (vec)->cap ||                                                      \
      tly_vec_grow_((a), (void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v), (vec)->n + 1)) \
         ? ((vec)->v[(vec)->n++] = (item), 1)                                       \
         : 0)

/* A growable heap array (through alc): makes room for at least `need`
 * elements of `elem` bytes in *v (capacity *cap, doubled from `first`),
 * keeping its contents. 1, or 0 out of memory (*v unchanged). The one growth
 * rule for arrays that outlive an arena (readers, parsers, the lexicon). */
int tly_heap_grow(const tally_alc *alc, void **v, size_t *cap, size_t elem, size_t need, size_t first);
#define tly_heap_reserve(alc, v, cap, need, first) \
    ((need) <= *(cap) || tly_heap_grow((alc), (void **)(v), (cap), sizeof **(v), (need), (first)))

#endif
