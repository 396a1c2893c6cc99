/* sort.h -- the one stable sort: a merge sort with a context argument
 * (qsort is neither stable nor given a context in C17). */
#ifndef TLY_SORT_H
#define TLY_SORT_H
#include <stddef.h>

/* cmp(a, b, ctx) < 0 when a goes first; equal elements keep their order. */
typedef int (*tly_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sorts v[0..n) (elements of size bytes) in place; tmp has room for n. */
void tly_sort(void *v, void *tmp, size_t n, size_t size, tly_cmp_fn cmp, void *ctx);
#endif
