#include "sort.h"
#include <string.h>

void tly_sort(void *v, void *tmp, size_t n, size_t size, tly_cmp_fn cmp, void *ctx) {
    if (n < 2) return;
    char *a = v, *t = tmp;
    size_t h = n / 2;
    tly_sort(a, tmp, h, size, cmp, ctx);
    tly_sort(a + h * size, tmp, n - h, size, cmp, ctx);
    if (cmp(a + (h - 1) * size, a + h * size, ctx) <= 0) return; /* already in order */
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        /* the right one first only when strictly smaller: stable */
        if (cmp(a + j * size, a + i * size, ctx) < 0) memcpy(t + k++ * size, a + j++ * size, size);
        else memcpy(t + k++ * size, a + i++ * size, size);
    }
    memcpy(t + k * size, a + i * size, (h - i) * size);
    k += h - i;
    memcpy(t + k * size, a + j * size, (n - j) * size);
    memcpy(a, t, n * size);
}
