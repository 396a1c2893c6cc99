#include "data.h"
#include <stdio.h>
#include <string.h>

typedef struct { const char *name; const char *data; size_t len; } tly_embedded_file;
extern const tly_embedded_file tly_embedded_files[];

const char *tly_data_get(const char *data_dir, tly_arena *a, const char *name, size_t *len) {
    if (data_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", data_dir, name);
        FILE *f = fopen(path, "rb");
        if (f) {
            size_t cap = 0, n = 0;
            char *buf = NULL;
            for (;;) { /* room for a NUL after the bytes */
                if (!tly_vec_grow_(a, (void **)&buf, &cap, 1, n + ((size_t)1 << 16))) { fclose(f); return NULL; }
                n += fread(buf + n, 1, cap - 1 - n, f);
                if (n < cap - 1) break;
            }
            fclose(f);
            buf[n] = 0;
            *len = n;
            return buf;
        }
    }
    for (const tly_embedded_file *e = tly_embedded_files; e->name; e++)
        if (strcmp(e->name, name) == 0) { *len = e->len; return e->data; }
    return NULL;
}

int tly_tsv_each(tly_arena *a, const char *data, size_t len, tly_tsv_fn fn, void *ctx) {
    size_t i = 0;
    int lineno = 0, count = 0;
    char *fields[32];
    while (i < len) {
        size_t j = i;
        while (j < len && data[j] != '\n') j++;
        lineno++;
        size_t e = j;
        if (e > i && data[e - 1] == '\r') e--;
        if (e > i && data[i] != '#') {
            char *line = tly_arena_strndup(a, data + i, e - i);
            if (!line) return -1;
            int nf = 0;
            char *p = line;
            fields[nf++] = p;
            for (; *p; p++)
                if (*p == '\t' && nf < 32) { *p = 0; fields[nf++] = p + 1; }
            int blank = 1;
            for (int k = 0; k < nf; k++) if (fields[k][0]) { blank = 0; break; }
            if (!blank) {
                if (fn(ctx, fields, nf, lineno)) return -1;
                count++;
            }
        }
        i = j + 1;
    }
    return count;
}
